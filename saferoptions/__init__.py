"""Safer Options: one system for a city partnership protecting children from extra-familial harm."""
