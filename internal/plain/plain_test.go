package plain

import (
	"reflect"
	"testing"
)

func TestReaders(t *testing.T) {
	if Str(3.0) != "" || Str("a") != "a" {
		t.Error("Str")
	}
	if List(nil) != nil || !reflect.DeepEqual(List("a"), []any{"a"}) || !reflect.DeepEqual(List([]any{1.0}), []any{1.0}) {
		t.Error("List")
	}
	if !reflect.DeepEqual(Strs([]any{"a", 1.0, "b"}), []string{"a", "b"}) || Strs(nil) != nil {
		t.Error("Strs")
	}
	if Obj("x") != nil || Obj(map[string]any{"k": 1.0})["k"] != 1.0 {
		t.Error("Obj")
	}
	for v, want := range map[any]string{nil: "not set", "a": `"a"`, 2.0: "2", 2.5: "2.5", true: "true"} {
		if got := Show(v); got != want {
			t.Errorf("Show(%v) = %s, want %s", v, got, want)
		}
	}
	if got := Show([]any{"a", 1.0}); got != `["a",1]` {
		t.Errorf("Show(list) = %s", got)
	}
}
