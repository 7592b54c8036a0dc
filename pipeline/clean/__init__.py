"""Stage 2: clean a page into a ``Document`` (text and structural blocks) and group its blocks into sections."""
