"""Work sessions: the store of open sessions, their traces, transcripts, archives and anchors."""
