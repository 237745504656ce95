// Added to FerretDB 1.24's SQLite backend (package sqlite) by infra/services/ferretdb-patch.ts.
//
// FerretDB answers a filter by reading every document of the collection and decoding it in Go, except
// a filter of exactly one `_id` string. Decoding costs about 70 µs a document, so a find of one date's
// batch results among 1,000,000 took over a minute. This hands SQLite more filters:
//
//   - `{_id: {$gte: P, $lt: Q}}` where Q is P with its last character one higher (all ids starting
//     with P): a range of the `_id` index. P must be plain (printable ASCII that JSON does not escape:
//     not " \ & < >), so that every such id's JSON text starts with `"P`; the range `"P` ≤ text < `"Q`
//     then holds exactly them.
//   - `{$or: [R1, R2, …]}`, each Ri such a prefix range (up to 1,000): the union of index ranges — how
//     the actuals find every prediction of a batch of flights.
//   - `{_id: {$in: [s1, s2, …]}}` of strings (up to 1,000): index lookups — how the predictions find
//     the actuals of their flights.
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
	plainPrefix = regexp.MustCompile(`^[ !#-%'-;=?-\[\]-~]+$`)
	sqlOperator = map[string]string{"$eq": "=", "$lt": "<", "$lte": "<=", "$gt": ">", "$gte": ">="}
)

// pushdownWhere is the WHERE clause (with its arguments) that SQLite can apply for filter, or "".
func pushdownWhere(filter *types.Document) (string, []any) {
	if filter.Len() != 1 {
		return "", nil
	}

	key := filter.Keys()[0]
	value := must.NotFail(filter.Get(key))

	if key == "$or" {
		return idRangesWhere(value)
	}

	if key == "_id" {
		switch v := value.(type) {
		case string, types.ObjectID:
			return fmt.Sprintf(` WHERE %s = ?`, metadata.IDColumn), []any{string(must.NotFail(sjson.MarshalSingleValue(v)))}
		case *types.Document:
			if low, high, ok := idPrefixRange(v); ok {
				return fmt.Sprintf(` WHERE %s >= ? AND %s < ?`, metadata.IDColumn, metadata.IDColumn), []any{`"` + low, `"` + high}
			}

			return idInWhere(v)
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

// maxListed bounds the terms of one pushed-down $in or $or (SQLite allows 32,766 variables).
const maxListed = 1000

// idInWhere recognizes {$in: [strings]}: the `_id` index, one lookup per string.
func idInWhere(d *types.Document) (string, []any) {
	if d.Len() != 1 {
		return "", nil
	}

	listValue, err := d.Get("$in")
	list, isArray := listValue.(*types.Array)

	if err != nil || !isArray || list.Len() == 0 || list.Len() > maxListed {
		return "", nil
	}

	args := make([]any, 0, list.Len())
	marks := make([]string, 0, list.Len())

	for i := 0; i < list.Len(); i++ {
		s, isString := must.NotFail(list.Get(i)).(string)
		if !isString {
			return "", nil
		}

		args = append(args, string(must.NotFail(sjson.MarshalSingleValue(s))))
		marks = append(marks, "?")
	}

	return fmt.Sprintf(` WHERE %s IN (%s)`, metadata.IDColumn, strings.Join(marks, ", ")), args
}

// idRangesWhere recognizes [{_id: prefix range}, …] (the operand of $or): a union of `_id` index ranges.
func idRangesWhere(value any) (string, []any) {
	list, isArray := value.(*types.Array)
	if !isArray || list.Len() == 0 || list.Len() > maxListed {
		return "", nil
	}

	conds := make([]string, 0, list.Len())
	args := make([]any, 0, 2*list.Len())

	for i := 0; i < list.Len(); i++ {
		term, isDoc := must.NotFail(list.Get(i)).(*types.Document)
		if !isDoc || term.Len() != 1 || term.Keys()[0] != "_id" {
			return "", nil
		}

		rangeDoc, isRange := must.NotFail(term.Get("_id")).(*types.Document)
		if !isRange {
			return "", nil
		}

		low, high, ok := idPrefixRange(rangeDoc)
		if !ok {
			return "", nil
		}

		conds = append(conds, fmt.Sprintf(`(%s >= ? AND %s < ?)`, metadata.IDColumn, metadata.IDColumn))
		args = append(args, `"`+low, `"`+high)
	}

	return ` WHERE ` + balancedOr(conds), args
}

// balancedOr joins conditions with OR as a balanced tree: SQLite refuses expression trees deeper than
// 1,000, which a chain of 1,000 ORs is.
func balancedOr(conds []string) string {
	if len(conds) == 1 {
		return conds[0]
	}

	mid := len(conds) / 2

	return "(" + balancedOr(conds[:mid]) + " OR " + balancedOr(conds[mid:]) + ")"
}
