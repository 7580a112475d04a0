package hubclient

// UserService covers who am I and my organizations (GET /v2/user/, /v2/user/orgs/).
type UserService service
