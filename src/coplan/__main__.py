"""``python -m coplan`` runs the same command as ``coplan``."""

from coplan.cli import main

if __name__ == "__main__":
    main()
