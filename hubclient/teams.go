package hubclient

// TeamService covers teams (groups) and team members.
type TeamService service
