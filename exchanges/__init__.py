"""Clinical exchanges: schools post rotations, students rank them, a stable match places them."""
