//! What both backends need from sqlx that its `Any` driver does not give as-is: statements with
//! a variable number of parameters, and boolean columns read back the same way.

use std::fmt::Write as _;

use sqlx::{
    Any, Arguments as _, AssertSqlSafe, Encode, Row as _, Type,
    any::{AnyArguments, AnyRow},
    error::BoxDynError,
    query::Query,
};

use crate::{Backend, Result};

/// A statement assembled at run time with as many parameters as it needs, written as its
/// backend reads them best: `$1, $2, ...` for PostgreSQL (sqlx's `QueryBuilder` writes `?` for
/// the `Any` driver, which PostgreSQL rejects), plain `?` for SQLite (which looks every named
/// or numbered parameter up among those before it, quadratic in a bulk insert's 30,000).
pub(crate) struct Statement {
    backend: Backend,
    sql: String,
    args: AnyArguments,
    binds: usize,
    error: Option<BoxDynError>,
}

impl Statement {
    pub(crate) fn new(backend: Backend, head: &str) -> Self {
        Statement {
            backend,
            sql: head.to_owned(),
            args: AnyArguments::default(),
            binds: 0,
            error: None,
        }
    }

    pub(crate) fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    pub(crate) fn bind<'t, T: Encode<'t, Any> + Type<Any>>(&mut self, value: T) -> &mut Self {
        self.binds += 1;
        match self.backend {
            Backend::Postgres => {
                // Writing to a String cannot fail.
                let _ = write!(self.sql, "${}", self.binds);
            }
            Backend::Sqlite => self.sql.push('?'),
        }
        if let Err(e) = self.args.add(value) {
            self.error.get_or_insert(e);
        }
        self
    }

    /// `$1, $2, ...`, one parameter per item (the inside of an `IN (...)`).
    pub(crate) fn list<'t, T: Encode<'t, Any> + Type<Any>>(
        &mut self,
        items: impl IntoIterator<Item = T>,
    ) -> &mut Self {
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.sql.push_str(", ");
            }
            self.bind(item);
        }
        self
    }

    /// `VALUES (...), (...)`: `bind` fills one row's tuple.
    pub(crate) fn values<R>(
        &mut self,
        rows: impl IntoIterator<Item = R>,
        mut bind: impl FnMut(&mut Tuple<'_>, R),
    ) -> &mut Self {
        self.sql.push_str("VALUES ");
        for (i, row) in rows.into_iter().enumerate() {
            self.sql.push_str(if i == 0 { "(" } else { ", (" });
            bind(&mut Tuple { statement: self, first: true }, row);
            self.sql.push(')');
        }
        self
    }

    /// The statement, ready to run (not prepared: its text changes with every row count).
    pub(crate) fn query(self) -> Result<Query<'static, Any, AnyArguments>> {
        if let Some(e) = self.error {
            return Err(sqlx::Error::Encode(e).into());
        }
        Ok(sqlx::query_with(AssertSqlSafe(self.sql), self.args).persistent(false))
    }
}

/// One row of a `VALUES` list.
pub(crate) struct Tuple<'a> {
    statement: &'a mut Statement,
    first: bool,
}

impl Tuple<'_> {
    pub(crate) fn bind<'t, T: Encode<'t, Any> + Type<Any>>(&mut self, value: T) -> &mut Self {
        if !self.first {
            self.statement.sql.push_str(", ");
        }
        self.first = false;
        self.statement.bind(value);
        self
    }
}

/// Reads a `BOOLEAN` column (by name or position) that the query selected as
/// `CAST(column AS INTEGER)`: SQLite's `Any` driver refuses a column declared `BOOLEAN`
/// outright, and both engines answer the cast with 0 or 1.
pub(crate) fn flag<I: sqlx::ColumnIndex<AnyRow>>(row: &AnyRow, column: I) -> Result<bool> {
    Ok(row.try_get::<i64, _>(column)? != 0)
}

/// Reads a nullable `BOOLEAN` column selected as `CAST(column AS INTEGER)`.
pub(crate) fn optional_flag<I: sqlx::ColumnIndex<AnyRow>>(
    row: &AnyRow,
    column: I,
) -> Result<Option<bool>> {
    Ok(row.try_get::<Option<i64>, _>(column)?.map(|i| i != 0))
}
