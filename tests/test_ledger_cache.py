"""bo's ledger cache never serves a ledger other than the one on disk."""

from __future__ import annotations

from beancount import loader

from bo.books import load_ledger


def test_a_file_edited_while_beancount_reads_it_is_never_served_from_the_cache(books, monkeypatch):
    main = books / "ledgers/main.beancount"
    path = books / "ledgers/2025.beancount"
    parse = loader._load

    def parse_then_edit(*args):
        result = parse(*args)  # what was read: the rent at 2000.00
        path.write_text(path.read_text().replace("2000.00 USD", "2100.00 USD"))
        return result

    monkeypatch.setattr(loader, "_load", parse_then_edit)
    load_ledger(main, books)
    monkeypatch.undo()
    again = load_ledger(main, books)
    assert not again.from_cache
    rent = next(e for e in again.entries if getattr(e, "payee", None) == "Landlord")
    assert str(rent.postings[0].units) == "2100.00 USD"


def test_bean_checks_own_cache_beside_the_ledger_leaves_bos_valid(books):
    main = books / "ledgers/main.beancount"
    load_ledger(main, books)
    assert load_ledger(main, books).from_cache
    # What `bean-check ledgers/main.beancount` leaves beside the ledger.
    (books / "ledgers/.main.beancount.picklecache").write_bytes(b"beancount's own")
    assert load_ledger(main, books).from_cache
    (books / "ledgers/new.beancount").write_text("")  # a name an include could match
    assert not load_ledger(main, books).from_cache


def test_the_cached_ledger_keeps_one_copy_of_equal_tolerances(books):
    main = books / "ledgers/main.beancount"
    for ledger in (load_ledger(main, books), load_ledger(main, books)):
        tolerances = [
            e.meta["__tolerances__"] for e in ledger.entries if "__tolerances__" in e.meta
        ]
        assert len(tolerances) > 1
        # One object per distinct value: pickled once, not once per transaction.
        assert len({id(t) for t in tolerances}) == len({repr(t) for t in tolerances})
    assert ledger.from_cache


def test_the_cached_ledger_is_the_parsed_one_entry_for_entry(tmp_path):
    # Transactions are kept as plain tuples (bo.packed): every kind of posting comes back
    # as beancount parsed it, and the other directives as they were.
    main = tmp_path / "main.beancount"
    main.write_text(
        'option "operating_currency" "USD"\n'
        "2025-01-01 open Assets:Bank USD\n"
        "2025-01-01 open Assets:Stock\n"
        "2025-01-01 open Expenses:Rent USD\n"
        "2025-01-01 open Equity:Opening USD\n"
        '2025-01-02 * "Landlord" "Rent" #home ^lease-1\n'
        '  invoice: "R-1"\n'
        "  Expenses:Rent  2000.00 USD\n"
        '    note: "January"\n'
        "  ! Assets:Bank\n"
        '2025-01-03 * "Broker" "Buy"\n'
        "  Assets:Stock  10 ACME {12.50 USD}\n"
        "  Assets:Bank  -125.00 USD\n"
        '2025-01-04 * "Exchange"\n'
        "  Assets:Bank  100 EUR @ 1.10 USD\n"
        "  Equity:Opening\n"
        "2025-01-05 balance Assets:Bank -2025.00 USD\n"
        '2025-01-06 note Assets:Bank "called the bank"\n'
    )
    parsed = load_ledger(main, tmp_path)
    cached = load_ledger(main, tmp_path)
    assert not parsed.from_cache and cached.from_cache
    assert cached.entries == parsed.entries
    assert [type(e) for e in cached.entries] == [type(e) for e in parsed.entries]
    for one, two in zip(cached.entries, parsed.entries, strict=True):
        for got, want in zip(
            getattr(one, "postings", ()), getattr(two, "postings", ()), strict=True
        ):
            assert type(got) is type(want) and type(got.units) is type(want.units)
            assert got == want and str(got.units) == str(want.units)
