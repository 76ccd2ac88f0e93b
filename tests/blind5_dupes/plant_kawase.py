"""Kawase Tōbō's planted duplicates and honest look-alikes, over the year of book_kawase."""

from __future__ import annotations

from datetime import date

from book_kawase import (
    AP,
    AR,
    BANK,
    CARD,
    MFB,
    MFC,
    OWN,
    UNCAT,
    Kawase,
)  # fmt: skip
from core import Book, Planting, days

WIDE = {"ﾓﾉﾀﾛｳ": "モノタロウ", "ｶｲﾝｽﾞ ﾏｼｺ": "カインズ益子店", "ｾﾌﾞﾝｲﾚﾌﾞﾝ": "セブン-イレブン益子店",
        "AMAZON.CO.JP": "Amazon", "JR東日本 ｴｷﾈｯﾄ": "JR東日本"}  # fmt: skip
SHORT = {"Mashiko Todo Ltd": "益子陶土", "Kogei Yakuhin": "工芸薬品", "Sanwa Gas": "三和ガス",
         "Yamato Transport": "ヤマト運輸"}  # fmt: skip


class Planter(Planting):
    def __init__(self, k: Kawase):
        super().__init__(k)
        self.k = k

    def again(self, t, when, payee, narration, file, **kw):
        return self.b.add(when, payee, narration, self.legs(t), file, copy=True, **kw)

    def plant(self):
        b, k = self.b, self.k
        relinked = [t for t in k.b.txns if t.file == MFB and date(2025, 9, 29) <= t.date
                    <= date(2025, 9, 30)]  # fmt: skip
        self.used.update(t.seq for t in relinked)
        for t in relinked:
            copy = k.mf(t.date, t.payee, t.narration, self.legs(t), copy=True)
            b.dup("relinked_feed_new_ids", "Money Forward re-linked to the bank on 3 October "
                  "and fetched 29 and 30 September again, every line under a new "
                  "mf_id", t, copy)  # fmt: skip
        for t in self.pick(k.card, 2):
            copy = k.mf(t.date, t.payee, t.narration, self.legs(t), MFC, mf_id=t.meta["mf_id"],
                        copy=True)  # fmt: skip
            b.dup("imported_twice_same_id", "an overlapping card export imported again, the "
                  "same mf_id", t, copy)  # fmt: skip
        fee_payers = [t for t in k.receipts if any(p.account == "Expenses:Fees" for p in
                      t.postings)]  # fmt: skip
        names = {"ｶ)ｷﾞｬﾗﾘｰｱｵｲ": "ギャラリー葵", "ｶﾌｴｸﾙﾐ ﾔﾏﾀﾞ ﾕｶ": "カフェくるみ"}
        for n, t in enumerate(self.pick(fee_payers, 3)):
            amount, net = -t.amount_on(AR), t.amount_on(BANK)
            who = names[t.payee.removeprefix("ﾌﾘｺﾐ ")]
            copy = b.add(t.date - days(2 + n), who, f"支払通知書 {t.narration}",
                         [(BANK, amount), (AR, -amount)], OWN, copy=True)  # fmt: skip
            b.dup("receipt_typed_less_fee", f"{who}'s payment typed at the invoice's {amount} "
                  f"from its payment notice and imported at the bank's {net} (the transfer "
                  "fee deducted)", t, copy)  # fmt: skip
        for t in self.pick(k.payouts, 2):
            copy = self.again(t, t.date - days(1), "Square", "Square入金 (メール)", OWN)
            b.dup("square_payout_twice", "a Square payout typed from Square's e-mail and "
                  "imported from the bank", t, copy)  # fmt: skip
        for t in self.pick(k.fairs, 2):
            copy = self.again(t, t.date + days(1), "益子陶器市", f"売上 {t.date:%m/%d}", OWN)
            b.dup("fair_takings_typed_twice", "a fair day's takings typed from the cash book "
                  "and again from the Square and cash tally", t, copy)  # fmt: skip
        for n, t in enumerate(self.pick(k.bills, 3, lambda t: "paid_by" in t.extra)):
            number = t.meta["invoice"]
            shape = [number.replace("-", ""), f"{t.date.month}月分", number.lower()][n]
            copy = self.again(t, t.date + days(3 + 2 * n), SHORT[t.payee], f"請求書 {shape}", OWN,
                              meta={"invoice": shape} if n != 1 else {})  # fmt: skip
            b.dup("bill_entered_twice", f"{number} typed from the e-mailed PDF and again from "
                  "the paper bill", t, copy)  # fmt: skip
        for t in self.pick(k.bills, 2, lambda t: t.extra.get("paid_by") is not None and
                           t.extra["paid_by"].seq not in self.used and "ﾌﾘｺﾐ" in
                           t.extra["paid_by"].payee):  # fmt: skip
            p = t.extra["paid_by"]
            self.used.add(p.seq)
            amount = p.amount_on(AP)
            again = k.pay(p.date + days(10), p.payee.removeprefix("ﾌﾘｺﾐ "), p.narration, amount)
            b.dup("paid_twice", f"{p.narration} transferred twice (two bank lines)", p, again)
        for t in self.pick(k.card, 3, lambda t: t.payee in WIDE):
            copy = self.again(t, t.date - days(t.seq % 2), WIDE[t.payee], "領収書より", OWN)
            b.dup("card_receipt_typed", f"a card purchase typed from the receipt under "
                  f"{WIDE[t.payee]} and imported from the card as {t.payee}", t, copy)  # fmt: skip
        for n, t in enumerate(self.pick(k.card_pays, 2)):
            spent = t.amount_on(CARD)
            other = BANK if n == 0 else UNCAT
            copy = k.mf(t.date, "ｺﾞﾘﾖｳﾀﾞｲｷﾝ ﾆﾕｳｷﾝ", "", [(CARD, spent), (other, -spent)], MFC,
                        flag="*" if n == 0 else "!", copy=True)  # fmt: skip
            b.dup(
                "transfer_both_sides",
                "the card's monthly debit imported from the bank and "
                "from the card's own feed" + (", uncategorized" if n else ""),
                t,
                copy,
            )
        t = self.pick(k.wages, 1)[0]
        copy = self.again(t, t.date + days(1), "給与", t.narration, OWN)
        b.dup("payroll_journal_twice", "the month's payroll journal typed twice", t, copy)

    def looks(self):
        b, k = self.b, self.k
        pair, invoices = [], []
        for n, name, text in ((11, "Utsuwa Hana", "ﾕ)ｳﾂﾜﾊﾅ"),
                              (12, "Tobu Department Store", "ﾄｳﾌﾞﾋﾔﾂｶﾃﾝ(ｶ")):  # fmt: skip
            inv = b.add(
                date(2025, 9, 30),
                name,
                "請求書 追加注文 湯呑20客",
                [
                    (AR, 55000),
                    ("Income:Sales:Wholesale", -50000),
                    ("Liabilities:ConsumptionTax", -5000),
                ],
                OWN,
                meta={"invoice": f"No.250930-{n}"},
            )
            invoices.append(inv)
            pair.append(k.receive(date(2025, 10, 31), text, inv, 55000, 0))
        b.look("equal_invoices_same_day", "two shops' equal reorders invoiced the same day",
               *invoices)  # fmt: skip
        b.look("equal_receipts_same_day", "two shops paying equal reorders the same day", *pair)
        ntt = [t for t in self.free(k.other) if t.payee.startswith("NTT")]
        b.look("telecom", "the fixed phone and fibre bill each month", *ntt[7:9])
        k.bill(date(2025, 10, 31), "Kogei Yakuhin", "KO-202510B", 29700, "Expenses:Glaze")
        out = k.pay(date(2025, 11, 28), "ｺｳｹﾞｲﾔｸﾋﾝ(ｶ", "KO-202510B", 29700)
        back = k.mf(date(2025, 12, 2), "ｸﾐﾓﾄﾞｼ ｺｳｹﾞｲﾔｸﾋﾝ(ｶ", "組戻し 口座番号相違",
                    [(BANK, 29700), (AP, -29700)])  # fmt: skip
        again = k.pay(date(2025, 12, 3), "ｺｳｹﾞｲﾔｸﾋﾝ(ｶ", "KO-202510B 再振込", 29700)
        b.look("returned_and_resent", "a transfer returned (wrong account number) and sent "
               "again", out, back, again)  # fmt: skip
        for text, account, amount, when in (("JR東日本 ｴｷﾈｯﾄ", "Expenses:Travel", 2640,
                                              date(2025, 6, 13)),
                                             ("AMAZON.CO.JP", "Expenses:Supplies", 3980,
                                              date(2025, 10, 21))):  # fmt: skip
            pair = [k.mf(when, text, "", [(account, amount), (CARD, -amount)], MFC)
                    for _ in range(2)]  # fmt: skip
            b.look("same_day_identical", f"two {text} charges of {amount} the same day, two "
                   "card lines, two mf_ids", *pair)  # fmt: skip
        kiln = k.bill(
            date(2025, 2, 28),
            "Nidec Kiln Works",
            "NK-2025-031",
            1980000,
            "Assets:Equipment:Kiln",
            narration="ガス窯 0.4立米 請求書 NK-2025-031",
        )
        parts = [k.pay(when, "ﾆﾃﾞﾂｸｷﾙﾝ(ｶ", f"NK-2025-031 分割 {n}/3", 660000)
                 for n, when in ((1, date(2025, 3, 31)), (2, date(2025, 4, 30)),
                                 (3, date(2025, 5, 30)))]  # fmt: skip
        b.look("instalments", "a kiln on one bill paid in three equal instalments", kiln, *parts)
        sato = [t for t in self.free(k.netpays) if "ｻﾄｳ" in t.payee]
        b.look("payroll_equal", "a part-timer's fixed pay month after month", *sato[3:5])
        rent = [t for t in self.free(k.other) if t.payee.startswith("ﾔﾁﾝ")]
        b.look("rent", "the studio's rent each month", *rent[5:7])
        adobe = [t for t in self.free(k.other) if t.payee == "ADOBE"]
        b.look("subscription", "Adobe each month", *adobe[2:4])
        wrong = k.bill(date(2025, 7, 31), "Kogei Yakuhin", "KO-202507B", 44000, "Expenses:Clay")
        rev = b.add(
            date(2025, 8, 4),
            "Kogei Yakuhin",
            "逆仕訳 KO-202507B (科目誤り)",
            self.legs(wrong, -1),
            OWN,
            meta={"invoice": "KO-202507B"},
        )
        again = k.bill(date(2025, 8, 4), "Kogei Yakuhin", "KO-202507B", 44000, "Expenses:Glaze")
        k.pay(date(2025, 8, 29), "ｺｳｹﾞｲﾔｸﾋﾝ(ｶ", "KO-202507B", 44000)
        b.look("reversed_and_rebooked", "a bill on the wrong account, reversed and booked "
               "again", wrong, rev, again)  # fmt: skip
        buy = k.mf(date(2025, 4, 8), "AMAZON.CO.JP", "", [("Expenses:Supplies", 12800),
                   (CARD, -12800)], MFC)  # fmt: skip
        back = k.mf(date(2025, 4, 15), "AMAZON.CO.JP", "返品", [("Expenses:Supplies", -12800),
                    (CARD, 12800)], MFC)  # fmt: skip
        b.look("refund_next_to_purchase", "an order returned a week later", buy, back)
        one = k.bill(
            date(2025, 6, 10),
            "Mashiko Todo Ltd",
            "MA-202506B",
            77000,
            "Expenses:Clay",
            narration="請求書 MA-202506B 追加 白土",
        )
        two = k.bill(
            date(2025, 6, 24),
            "益子陶土",
            "MA-202506C",
            77000,
            "Expenses:Clay",
            narration="請求書 MA-202506C 追加 赤土",
        )
        b.look("abbreviated_payees", "two equal extra clay orders, one typed under the "
               "supplier's Japanese name, each its own number", one, two)  # fmt: skip
        bill = k.bill(
            date(2025, 10, 6),
            "Kirihako Kimura",
            "KK-0412",
            264000,
            "Expenses:Packaging",
            narration="桐箱 200個 請求書 KK-0412",
        )
        dep = k.pay(date(2025, 10, 8), "ｷﾘﾊﾞｺ ｷﾑﾗ", "KK-0412 前金", 132000)
        rest = k.pay(date(2025, 11, 28), "ｷﾘﾊﾞｺ ｷﾑﾗ", "KK-0412 残金", 132000)
        b.look(
            "split_payment", "wooden boxes: half in advance, the rest on delivery", bill, dep, rest
        )


def build() -> Book:
    k = Kawase()
    k.build()
    p = Planter(k)
    p.plant()
    p.looks()
    return k.b
