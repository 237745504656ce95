// Added to FerretDB 1.24's SQLite backend (package sqlite) by infra/services/ferretdb-patch.ts.
//
// FerretDB answers a filter by reading every document of the collection and decoding it in Go, except
// a filter of exactly one `_id` string. Decoding costs about 70 µs a document, so a find of one date's
// batch results among 1,000,000 took over a minute. This hands SQLite two more filters of one field:
//
//   - `{_id: {$gte: P, $lt: Q}}` where Q is P with its last character one higher (all ids starting
//     with P): a range of the `_id` index. P must be plain (letters, digits, _ . : -), so that every
//     such id's JSON text starts with `"P`; the range `"P` ≤ text < `"Q` then holds exactly them.
//   - `{field: "s"}` and `{field: {$lt|$lte|$gt|$gte|$eq: "s", ...}}` with string operands on a plain
//     top-level field: compared in SQL on the field's value (`->>`), which SQLite reads without
//     decoding the document; arrays are always passed on (an array matches when one element does).
//     SQLite still visits every row, but only matching rows reach Go.
//
// Both give a superset of the matching documents: FerretDB filters every document it gets again in
// Go (common.FilterIterator, FilterDocument), so the answers are the same, only sooner.
package sqlite

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/FerretDB/FerretDB/internal/backends/sqlite/metadata"
	"github.com/FerretDB/FerretDB/internal/handler/sjson"
	"github.com/FerretDB/FerretDB/internal/types"
	"github.com/FerretDB/FerretDB/internal/util/must"
)

var (
	plainField  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)
	plainPrefix = regexp.MustCompile(`^[A-Za-z0-9_.:-]+$`)
	sqlOperator = map[string]string{"$eq": "=", "$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}
)

// pushdownWhere is the WHERE clause (with its arguments) that SQLite can apply for filter, or "".
func pushdownWhere(filter *types.Document) (string, []any) {
	if filter.Len() != 1 {
		return "", nil
	}

	key := filter.Keys()[0]
	value := must.NotFail(filter.Get(key))

	if key == "_id" {
		switch v := value.(type) {
		case string, types.ObjectID:
			return fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn), []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
		case *types.Document:
			if low, high, ok := idPrefixRange(v); ok {
				return fmt.Sprintf(` WHERE %s >= ? AND %s < ?`, metadata.IDColumn, metadata.IDColumn), []any{`"` + low, `"` + high}
			}
		}

		return "", nil
	}

	if !plainField.MatchString(key) {
		return "", nil
	}

	field := fmt.Sprintf(`%s->>'%s'`, metadata.DefaultColumn, key)
	isArray := fmt.Sprintf(`json_type(%s, '$.%s') = 'array'`, metadata.DefaultColumn, key)

	switch v := value.(type) {
	case string:
		return fmt.Sprintf(` WHERE (%s = ? OR %s)`, field, isArray), []any{v}
	case *types.Document:
		var conds []string
		var args []any

		for _, op := range v.Keys() {
			sqlOp, known := sqlOperator[op]
			operand, isString := must.NotFail(v.Get(op)).(string)

			if !known || !isString {
				return "", nil
			}

			conds = append(conds, fmt.Sprintf(`%s %s ?`, field, sqlOp))
			args = append(args, operand)
		}

		if len(conds) == 0 {
			return "", nil
		}

		return fmt.Sprintf(` WHERE (%s OR %s)`, strings.Join(conds, " AND "), isArray), args
	}

	return "", nil
}

// idPrefixRange recognizes {$gte: P, $lt: Q}, Q being P with its last character one higher.
func idPrefixRange(d *types.Document) (string, string, bool) {
	if d.Len() != 2 {
		return "", "", false
	}

	lowValue, lowErr := d.Get("$gte")
	highValue, highErr := d.Get("$lt")
	low, lowOK := lowValue.(string)
	high, highOK := highValue.(string)

	if lowErr != nil || highErr != nil || !lowOK || !highOK || !plainPrefix.MatchString(low) || len(high) != len(low) {
		return "", "", false
	}

	last := len(low) - 1
	if low[:last] != high[:last] || high[last] != low[last]+1 {
		return "", "", false
	}

	return low, high, true
}
