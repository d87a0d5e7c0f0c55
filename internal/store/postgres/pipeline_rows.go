package postgres

import (
	"context"
	"database/sql/driver"
	"fmt"
	"io"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
)

// A query that follows statements not sent yet (the transaction's BEGIN,
// deferred writes) goes with them in one pipeline: one round trip. Its
// rows are read here rather than by pgx's database/sql adapter, with the
// adapter's conversions (binary results for the types it decodes itself,
// text for the rest), so that a row scans into the same Go values either
// way. The conversions follow pgx v5's stdlib.Rows (MIT licence,
// Copyright (c) 2013-2021 Jack Christensen).

// binaryResults are the column types read in binary, as stdlib reads them.
var binaryResults = map[uint32]bool{
	pgtype.BoolOID: true, pgtype.ByteaOID: true, pgtype.CIDOID: true, pgtype.DateOID: true,
	pgtype.Float4OID: true, pgtype.Float8OID: true, pgtype.Int2OID: true, pgtype.Int4OID: true,
	pgtype.Int8OID: true, pgtype.OIDOID: true, pgtype.TimestampOID: true, pgtype.TimestamptzOID: true,
	pgtype.XIDOID: true,
}

// pipeQuery sends what is pending (the BEGIN, deferred writes) and the
// query in one round trip and returns the query's rows.
func (c *pipeConn) pipeQuery(ctx context.Context, query string, argsV []driver.NamedValue) (driver.Rows, error) {
	conn := c.Conn.Conn()
	// Statement descriptions: pgx prepares a statement once per
	// connection (a round trip of its own the first time only).
	sdQ, err := conn.Prepare(ctx, query, query)
	if err != nil {
		return nil, err
	}
	sds := make([]*pgconn.StatementDescription, len(c.deferred))
	for i, q := range c.deferred {
		if sds[i], err = conn.Prepare(ctx, q.sql, q.sql); err != nil {
			return nil, err
		}
	}
	begin := c.begin != ""
	pend := c.pending()
	traceRoundTrip(ctx, append(sqlOf(pend), query)...)

	m := conn.TypeMap()
	p := conn.PgConn().StartPipeline(ctx)
	var eqb pgx.ExtendedQueryBuilder
	for i, q := range pend {
		if begin && i == 0 {
			p.SendQueryParams(q.sql, nil, nil, nil, nil)
			continue
		}
		sd := sds[len(sds)-len(pend)+i] // the deferred writes are pend's tail
		if err := eqb.Build(m, sd, q.args); err != nil {
			_ = p.Close()
			return nil, err
		}
		// SendQueryStatement keeps the result formats: a copy, since Build
		// reuses its slice.
		p.SendQueryStatement(sd, eqb.ParamValues, eqb.ParamFormats, append([]int16(nil), eqb.ResultFormats...))
	}
	if err := eqb.Build(m, sdQ, args(argsV)); err != nil {
		_ = p.Close()
		return nil, err
	}
	formats := make([]int16, len(sdQ.Fields))
	for i, f := range sdQ.Fields {
		if binaryResults[f.DataTypeOID] {
			formats[i] = pgtype.BinaryFormatCode
		}
	}
	p.SendQueryStatement(sdQ, eqb.ParamValues, eqb.ParamFormats, formats)
	if err := p.Sync(); err != nil {
		_ = p.Close()
		return nil, err
	}
	var failed error
	for _, q := range pend {
		res, err := p.GetResults()
		if err == nil {
			if rr, ok := res.(*pgconn.ResultReader); ok {
				var tag pgconn.CommandTag
				if tag, err = rr.Close(); err == nil && failed == nil {
					failed = q.check(tag.RowsAffected())
				}
			} else {
				err = fmt.Errorf("postgres: pipeline: unexpected %T", res)
			}
		}
		if err != nil {
			_ = p.Close()
			return nil, err
		}
	}
	res, err := p.GetResults()
	if err != nil {
		_ = p.Close()
		return nil, err
	}
	rr, ok := res.(*pgconn.ResultReader)
	if !ok {
		_ = p.Close()
		return nil, fmt.Errorf("postgres: pipeline: unexpected %T", res)
	}
	r := &pipeRows{p: p, rr: rr, m: m, preloaded: true}
	if failed != nil {
		c.failed = failed
		_ = r.Close()
		return nil, failed
	}
	// As stdlib: the first row is read now, so that the query's error is
	// this call's error.
	if r.more = rr.NextRow(); !r.more {
		if _, err := rr.Close(); err != nil {
			_ = r.Close()
			return nil, err
		}
	}
	return r, nil
}

func sqlOf(q []queued) []string {
	s := make([]string, len(q))
	for i, x := range q {
		s[i] = x.sql
	}
	return s
}

type rowValueFunc func(src []byte) (driver.Value, error)

// pipeRows are a pipelined query's rows; Close ends the pipeline.
type pipeRows struct {
	p          *pgconn.Pipeline
	rr         *pgconn.ResultReader
	m          *pgtype.Map
	valueFuncs []rowValueFunc
	columns    []string
	preloaded  bool
	more       bool
	closed     bool
	err        error
}

func (r *pipeRows) Columns() []string {
	if r.columns == nil {
		fields := r.rr.FieldDescriptions()
		r.columns = make([]string, len(fields))
		for i, fd := range fields {
			r.columns[i] = fd.Name
		}
	}
	return r.columns
}

func (r *pipeRows) Close() error {
	if r.closed {
		return r.err
	}
	r.closed = true
	_, err := r.rr.Close()
	if err == nil {
		var res any
		if res, err = r.p.GetResults(); err == nil {
			if _, ok := res.(*pgconn.PipelineSync); !ok {
				err = fmt.Errorf("postgres: pipeline: expected its end, got %T", res)
			}
		}
	}
	if cerr := r.p.Close(); err == nil {
		err = cerr
	}
	r.err = err
	return err
}

func (r *pipeRows) Next(dest []driver.Value) error {
	if r.preloaded {
		r.preloaded = false
		if !r.more {
			return io.EOF
		}
	} else if !r.rr.NextRow() {
		if _, err := r.rr.Close(); err != nil {
			return err
		}
		return io.EOF
	}
	r.initValueFuncs()
	for i, rv := range r.rr.Values() {
		if rv == nil {
			dest[i] = nil
			continue
		}
		v, err := r.valueFuncs[i](rv)
		if err != nil {
			return fmt.Errorf("convert field %d failed: %w", i, err)
		}
		dest[i] = v
	}
	return nil
}

// initValueFuncs chooses each column's conversion as stdlib.Rows does.
func (r *pipeRows) initValueFuncs() {
	if r.valueFuncs != nil {
		return
	}
	m := r.m
	fields := r.rr.FieldDescriptions()
	r.valueFuncs = make([]rowValueFunc, len(fields))
	for i, fd := range fields {
		oid, format := fd.DataTypeOID, fd.Format
		switch oid {
		case pgtype.BoolOID:
			r.valueFuncs[i] = scanAs[bool](m, oid, format, nil)
		case pgtype.ByteaOID, pgtype.JSONOID, pgtype.JSONBOID, pgtype.XMLOID:
			r.valueFuncs[i] = scanAs[[]byte](m, oid, format, nil)
		case pgtype.CIDOID, pgtype.OIDOID, pgtype.XIDOID:
			r.valueFuncs[i] = scanAs(m, oid, format, func(d pgtype.Uint32) (driver.Value, error) { return d.Value() })
		case pgtype.DateOID:
			r.valueFuncs[i] = scanAs(m, oid, format, func(d pgtype.Date) (driver.Value, error) { return d.Value() })
		case pgtype.Float4OID:
			r.valueFuncs[i] = scanAs(m, oid, format, func(d float32) (driver.Value, error) { return float64(d), nil })
		case pgtype.Float8OID:
			r.valueFuncs[i] = scanAs[float64](m, oid, format, nil)
		case pgtype.Int2OID:
			r.valueFuncs[i] = scanAs(m, oid, format, func(d int16) (driver.Value, error) { return int64(d), nil })
		case pgtype.Int4OID:
			r.valueFuncs[i] = scanAs(m, oid, format, func(d int32) (driver.Value, error) { return int64(d), nil })
		case pgtype.Int8OID:
			r.valueFuncs[i] = scanAs[int64](m, oid, format, nil)
		case pgtype.TimestampOID:
			r.valueFuncs[i] = scanAs(m, oid, format, func(d pgtype.Timestamp) (driver.Value, error) { return d.Value() })
		case pgtype.TimestamptzOID:
			r.valueFuncs[i] = scanAs(m, oid, format, func(d pgtype.Timestamptz) (driver.Value, error) { return d.Value() })
		default:
			r.valueFuncs[i] = scanAs[string](m, oid, format, nil)
		}
	}
}

// scanAs scans a column into a T and returns it as a driver.Value,
// through conv when given.
func scanAs[T any](m *pgtype.Map, oid uint32, format int16, conv func(T) (driver.Value, error)) rowValueFunc {
	var d T
	plan := m.PlanScan(oid, format, &d)
	return func(src []byte) (driver.Value, error) {
		if err := plan.Scan(src, &d); err != nil {
			return nil, err
		}
		if conv != nil {
			return conv(d)
		}
		return d, nil
	}
}
