"""Device ports, their shared status model, and simulators."""
