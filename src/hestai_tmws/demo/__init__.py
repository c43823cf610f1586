"""`tmws demo`: the whole life cycle in a throwaway git repository (a face over real services)."""
