package hubclient

// RepoService covers repositories: list, create, check, get, update, delete, team permissions, immutable tags.
type RepoService service
