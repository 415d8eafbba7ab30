"""Pathway pages: thin views that parse input, call a selector or service, and render."""
