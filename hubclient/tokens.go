package hubclient

// TokenService covers personal access tokens.
type TokenService service
