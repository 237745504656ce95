package main

import (
	"context"
	"log/slog"
)

// lazyHandler defers the attributes and groups that loggers derive with With/WithGroup until a record
// is actually written. FerretDB's SQL layer derives a logger per statement with every argument of the
// statement (slog.Logger.With(slog.Any("args", args)) in internal/util/fsql), and slog's text handler
// formats those arguments — every document of an insert — as soon as With is called, whatever the
// level. Measured on the project's result documents, that formatting was about a quarter of the
// server's CPU per inserted document; with this handler it happens only for records that pass the level.
type lazyHandler struct {
	inner slog.Handler
	// ops are the With/WithGroup calls since inner, oldest first: a group name, or attributes.
	ops []lazyOp
}

type lazyOp struct {
	group string
	attrs []slog.Attr
}

func newLazyHandler(inner slog.Handler) *lazyHandler {
	return &lazyHandler{inner: inner}
}

func (h *lazyHandler) Enabled(ctx context.Context, level slog.Level) bool {
	return h.inner.Enabled(ctx, level)
}

func (h *lazyHandler) Handle(ctx context.Context, r slog.Record) error {
	inner := h.inner
	for _, op := range h.ops {
		if op.attrs != nil {
			inner = inner.WithAttrs(op.attrs)
		} else {
			inner = inner.WithGroup(op.group)
		}
	}
	return inner.Handle(ctx, r)
}

func (h *lazyHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	if len(attrs) == 0 {
		return h
	}
	return h.with(lazyOp{attrs: attrs})
}

func (h *lazyHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	return h.with(lazyOp{group: name})
}

// with copies ops: loggers derived from one parent must not share a backing array.
func (h *lazyHandler) with(op lazyOp) *lazyHandler {
	ops := make([]lazyOp, len(h.ops), len(h.ops)+1)
	copy(ops, h.ops)
	return &lazyHandler{inner: h.inner, ops: append(ops, op)}
}
