"""The command line: click commands, each a thin shell over one library call."""
