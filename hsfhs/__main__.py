"""Run the CLI as ``python -m hsfhs`` so test fixtures need no PATH lookup."""

from hsfhs.cli import cli

if __name__ == "__main__":
    cli()
