"""Hostile inputs for the survival suite (tests/test_hostile_*.py) and bench/soak.py."""
