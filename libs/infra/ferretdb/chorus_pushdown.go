package sqlite

import (
	"fmt"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

// chorusIDPushdown returns the WHERE clause for the filter's top-level `_id` condition, whatever
// else the filter holds (the handler still applies the whole filter to what comes back):
// `_id: <string|ObjectID>` → `= ?`; `_id: {$in: [strings/ObjectIDs]}` → `IN (…)`. Upstream pushes
// down only a filter that is exactly `{_id: <value>}`, so `{_id, status}` or `$in` scanned the
// whole table. Added by Chorus.
func chorusIDPushdown(filter *types.Document) (string, []any) {
	if filter == nil {
		return "", nil
	}

	v, err := filter.Get("_id")
	if err != nil {
		return "", nil
	}

	switch v := v.(type) {
	case string, types.ObjectID:
		return fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn), []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
	case *types.Document:
		if v.Len() != 1 {
			return "", nil
		}

		in, err := v.Get("$in")
		if err != nil {
			return "", nil
		}

		arr, ok := in.(*types.Array)
		if !ok || arr.Len() == 0 || arr.Len() > 30000 {
			return "", nil
		}

		args := make([]any, 0, arr.Len())

		for i := 0; i < arr.Len(); i++ {
			e := must.NotFail(arr.Get(i))
			switch e.(type) {
			case string, types.ObjectID:
				args = append(args, string(must.NotFail(sjson.MarshalSingleValue(e))))
			default:
				return "", nil
			}
		}

		placeholders := strings.TrimSuffix(strings.Repeat("?, ", len(args)), ", ")

		return fmt.Sprintf(` WHERE %s IN (%s)`, metadata.IDColumn, placeholders), args
	}

	return "", nil
}
