"""Exports of a read `Disclosure` into other shapes."""
