package ui

import "github.com/hubtui/hubtui/ui/list"

// sortCol is the column a list sorts by (-1: the server's order).
func sortCol[T any](l *list.List[T]) int {
	c, _ := l.Sort()
	return c
}
