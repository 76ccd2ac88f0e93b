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
