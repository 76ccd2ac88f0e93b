"""`python -m bo`: the same CLI as the `bo` script (checklist command steps use it)."""

from bo.entry import main

main()
