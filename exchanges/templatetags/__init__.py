"""Template tags of the exchange pages."""
