package hubclient

// TagService covers repository tags: list, get, check, delete.
type TagService service
