"""Work sessions: clock-in/out, transcripts, redaction and the archive."""
