"""Views of the scholarship programme, one module per step of the work."""
