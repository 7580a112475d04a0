package hubclient

// MemberService covers organization members: list, export, role change, removal.
type MemberService service
