"""hsfhs: the WHO Health systems for health security framework as a knowledge graph."""

__version__ = "0.1.0"
