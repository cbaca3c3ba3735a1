"""factory-boy factories, one module per app, and builders that bring objects to a state."""
