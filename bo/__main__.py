"""`python -m bo`: the same CLI as the `bo` script."""

from bo.cli import main

main()
