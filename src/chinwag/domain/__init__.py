"""Pure data and rules: ids, models, permissions, errors. No I/O."""
