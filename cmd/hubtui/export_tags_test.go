package main

import (
	"encoding/csv"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hubtui/hubtui/hubclient"
)

func TestExportTags(t *testing.T) {
	code, out, errs := runArgs(t, "export", "tags", "--demo", "--repo", "acme/web")
	if code != 0 {
		t.Fatalf("export tags: exit %d, %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 13 || rows[0][1] != "tag" || rows[1][0] != "acme/web" || !strings.HasPrefix(rows[1][2], "sha256:") {
		t.Fatalf("csv: %d rows, first %v %v", len(rows), rows[0], rows[1])
	}
	// A bare name is a repository of the org.
	code, out, _ = runArgs(t, "export", "tags", "--demo", "--repo", "web", "--format", "json")
	var tags []hubclient.Tag
	if code != 0 || json.Unmarshal([]byte(out), &tags) != nil || len(tags) != 12 || len(tags[0].Images) == 0 {
		t.Fatalf("json: exit %d, %d tags", code, len(tags))
	}
	code, out, _ = runArgs(t, "export", "tags", "--demo", "--repo", "acme/web", "--format", "jsonl")
	if n := strings.Count(out, "\n"); code != 0 || n != 12 {
		t.Fatalf("jsonl: exit %d, %d lines", code, n)
	}
}

func TestExportTagsErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"export", "tags", "--demo"}, 2, "--repo NS/REPO is required"},
		{[]string{"export", "tags", "--demo", "--repo", "a/b/c"}, 2, "write it as namespace/name"},
		{[]string{"export", "tags", "--demo", "--repo", "acme/nosuchrepo"}, 1, "nosuchrepo"},
		{[]string{"export", "nosuch", "--demo"}, 2, `export "nosuch": there is no such export`},
		{[]string{"export", "tags", "--demo", "--repo", "acme/web", "extra"}, 2, `unexpected "extra"`},
	} {
		code, _, errs := runArgs(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs, c.code, c.want)
		}
	}
}
