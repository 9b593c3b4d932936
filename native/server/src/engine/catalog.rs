//! The in-memory databases and tables, shared by all sessions.
//!
//! Locking: permanent tables live under one `RwLock` in the [`Catalog`]; `#temp` tables live in
//! the owning [`Session`]'s mutex. Code never holds both, and never evaluates SQL expressions
//! while holding either (expressions such as `OBJECT_ID()` take the locks themselves).

use super::error::SqlError;
use super::names::{key, ObjectRef};
use super::session::Session;
use super::table::Table;
use super::transaction::Undo;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicI32, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

pub(crate) use super::table::{Column, IdentitySpec, KeyConstraint};

static NEXT_OBJECT_ID: AtomicI32 = AtomicI32::new(245_575_913);

/// A fresh object id; temp tables get negative ids, as in SQL Server's tempdb.
pub(crate) fn next_object_id(temp: bool) -> i32 {
    let id = NEXT_OBJECT_ID.fetch_add(16, Ordering::Relaxed).max(1);
    if temp {
        -id
    } else {
        id
    }
}

#[derive(Debug)]
pub(crate) struct Database {
    pub id: i16,
    pub name: String,
    pub tables: BTreeMap<String, Table>,
}

#[derive(Debug)]
struct CatalogState {
    databases: BTreeMap<String, Database>,
    next_database_id: i16,
}

/// All databases and their tables. Cheap to clone: clones share the same data.
#[derive(Debug, Clone)]
pub struct Catalog {
    state: Arc<RwLock<CatalogState>>,
}

impl Default for Catalog {
    fn default() -> Self {
        Self::new()
    }
}

/// Where a table lives: in the session (`#t`) or in a database (by lowercase keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Location {
    Temp { key: String },
    Db { db: String, key: String },
}

impl Location {
    /// A stable text form, used to remember the IDENTITY_INSERT table of a session.
    pub fn token(&self) -> String {
        match self {
            Location::Temp { key } => format!("#:{key}"),
            Location::Db { db, key } => format!("{db}:{key}"),
        }
    }
}

impl Catalog {
    /// A catalog with the system databases (`master`, `tempdb`, `model`, `msdb`) and `sluice`.
    pub fn new() -> Self {
        let mut databases = BTreeMap::new();
        for (id, name) in [
            (1, "master"),
            (2, "tempdb"),
            (3, "model"),
            (4, "msdb"),
            (5, "sluice"),
        ] {
            databases.insert(
                key(name),
                Database {
                    id,
                    name: name.to_string(),
                    tables: BTreeMap::new(),
                },
            );
        }
        Catalog {
            state: Arc::new(RwLock::new(CatalogState {
                databases,
                next_database_id: 6,
            })),
        }
    }

    fn read(&self) -> RwLockReadGuard<'_, CatalogState> {
        self.state.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, CatalogState> {
        self.state.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The database's name as created, or `None` if there is no such database.
    pub fn database_name(&self, name: &str) -> Option<String> {
        self.read()
            .databases
            .get(&key(name))
            .map(|d| d.name.clone())
    }

    pub fn database_exists(&self, name: &str) -> bool {
        self.read().databases.contains_key(&key(name))
    }

    pub fn database_names(&self) -> Vec<String> {
        self.read()
            .databases
            .values()
            .map(|d| d.name.clone())
            .collect()
    }

    pub(crate) fn database_id(&self, name: &str) -> Option<i16> {
        self.read().databases.get(&key(name)).map(|d| d.id)
    }

    pub(crate) fn database_by_id(&self, id: i64) -> Option<String> {
        self.read()
            .databases
            .values()
            .find(|d| i64::from(d.id) == id)
            .map(|d| d.name.clone())
    }

    pub(crate) fn create_database(&self, name: &str) -> Result<(), SqlError> {
        let mut st = self.write();
        if st.databases.contains_key(&key(name)) {
            return Err(SqlError::new(
                1801,
                16,
                3,
                format!("Database '{name}' already exists. Choose a different database name."),
            ));
        }
        let id = st.next_database_id;
        st.next_database_id = id.saturating_add(1);
        st.databases.insert(
            key(name),
            Database {
                id,
                name: name.to_string(),
                tables: BTreeMap::new(),
            },
        );
        Ok(())
    }

    pub(crate) fn drop_database(&self, session: &Session, name: &str) -> Result<(), SqlError> {
        let mut st = self.write();
        let Some(db) = st.databases.get(&key(name)) else {
            return Err(SqlError::new(
                3701,
                11,
                1,
                format!("Cannot drop the database '{name}', because it does not exist or you do not have permission."),
            ));
        };
        if db.id <= 4 {
            return Err(SqlError::new(
                3708,
                16,
                1,
                format!(
                    "Cannot drop the database '{}' because it is a system database.",
                    db.name
                ),
            ));
        }
        if key(&session.database) == key(name) {
            return Err(SqlError::new(
                3702,
                16,
                4,
                format!(
                    "Cannot drop database \"{}\" because it is currently in use.",
                    db.name
                ),
            ));
        }
        st.databases.remove(&key(name));
        Ok(())
    }

    /// Where `r` would live, or `None` when its database or schema does not exist.
    pub(crate) fn locate(&self, session: &Session, r: &ObjectRef) -> Option<Location> {
        if let Some(schema) = &r.schema {
            if !schema.eq_ignore_ascii_case("dbo") {
                return None;
            }
        }
        if r.is_temp() {
            return Some(Location::Temp { key: key(&r.name) });
        }
        let db = if r.is_global_temp() {
            "tempdb".to_string()
        } else {
            r.database
                .clone()
                .unwrap_or_else(|| session.database.clone())
        };
        let db = key(&db);
        if !self.read().databases.contains_key(&db) {
            return None;
        }
        Some(Location::Db {
            db,
            key: key(&r.name),
        })
    }

    /// The display name of a location's database (`tempdb` for temp tables).
    pub(crate) fn database_of(&self, loc: &Location) -> String {
        match loc {
            Location::Temp { .. } => "tempdb".to_string(),
            Location::Db { db, .. } => self
                .read()
                .databases
                .get(db)
                .map(|d| d.name.clone())
                .unwrap_or_else(|| db.clone()),
        }
    }

    pub(crate) fn read_at<R>(
        &self,
        session: &Session,
        loc: &Location,
        f: impl FnOnce(&Table) -> R,
    ) -> Option<R> {
        match loc {
            Location::Temp { key } => session.temp_tables().get(key).map(f),
            Location::Db { db, key } => self
                .read()
                .databases
                .get(db)
                .and_then(|d| d.tables.get(key))
                .map(f),
        }
    }

    /// Changes the table at `loc` in place; inside a transaction its image is kept first, so
    /// that ROLLBACK can put it back (see `transaction.rs`). Appends go through
    /// [`Catalog::append_at`], which keeps only a row count.
    pub(crate) fn write_at<R>(
        &self,
        session: &Session,
        loc: &Location,
        f: impl FnOnce(&mut Table) -> R,
    ) -> Option<R> {
        self.change_at(session, loc, |t| {
            session.remember(|| Undo::Image {
                loc: loc.clone(),
                table: Some(t.clone()),
            });
            f(t)
        })
    }

    /// As [`Catalog::write_at`] for a change that only appends rows.
    pub(crate) fn append_at<R>(
        &self,
        session: &Session,
        loc: &Location,
        f: impl FnOnce(&mut Table) -> R,
    ) -> Option<R> {
        self.change_at(session, loc, |t| {
            let from = t.rows.len();
            let r = f(t);
            let count = t.rows.len().saturating_sub(from);
            if count > 0 {
                session.remember(|| Undo::Appended {
                    loc: loc.clone(),
                    object_id: t.object_id,
                    from,
                    count,
                });
            }
            r
        })
    }

    fn change_at<R>(
        &self,
        session: &Session,
        loc: &Location,
        f: impl FnOnce(&mut Table) -> R,
    ) -> Option<R> {
        match loc {
            Location::Temp { key } => session.temp_tables().get_mut(key).map(f),
            Location::Db { db, key } => self
                .write()
                .databases
                .get_mut(db)
                .and_then(|d| d.tables.get_mut(key))
                .map(f),
        }
    }

    /// Applies one undo entry of a rolled-back transaction.
    pub(crate) fn undo(&self, session: &Session, undo: Undo) {
        match undo {
            Undo::Appended {
                loc,
                object_id,
                from,
                count,
            } => {
                self.change_at(session, &loc, |t| {
                    if t.object_id == object_id {
                        t.remove_range(from, count);
                    }
                });
            }
            Undo::Image { loc, table } => match loc {
                Location::Temp { key } => {
                    let mut temps = session.temp_tables();
                    match table {
                        Some(t) => temps.insert(key, t),
                        None => temps.remove(&key),
                    };
                }
                Location::Db { db, key } => {
                    if let Some(d) = self.write().databases.get_mut(&db) {
                        match table {
                            Some(t) => d.tables.insert(key, t),
                            None => d.tables.remove(&key),
                        };
                    }
                }
            },
        }
    }

    /// Runs `f` on the table `r` names; `None` if there is no such table.
    pub(crate) fn read_table<R>(
        &self,
        session: &Session,
        r: &ObjectRef,
        f: impl FnOnce(&Table) -> R,
    ) -> Option<R> {
        let loc = self.locate(session, r)?;
        self.read_at(session, &loc, f)
    }

    /// Finds the table `r` names, with its location; error 208 if there is none.
    pub(crate) fn find(&self, session: &Session, r: &ObjectRef) -> Result<Location, SqlError> {
        let loc = self
            .locate(session, r)
            .ok_or_else(|| SqlError::invalid_object(&r.display()))?;
        if self.read_at(session, &loc, |_| ()).is_some() {
            Ok(loc)
        } else {
            Err(SqlError::invalid_object(&r.display()))
        }
    }

    /// Adds a table; error 2714 if the name is taken, 2760 for an unknown schema.
    pub(crate) fn create_table(
        &self,
        session: &Session,
        r: &ObjectRef,
        mut table: Table,
    ) -> Result<(), SqlError> {
        let loc = match self.locate(session, r) {
            Some(loc) => loc,
            None => {
                if let Some(schema) = r.schema.as_ref().filter(|s| !s.eq_ignore_ascii_case("dbo")) {
                    return Err(SqlError::new(
                        2760,
                        16,
                        1,
                        format!("The specified schema name \"{schema}\" either does not exist or you do not have permission to use it."),
                    ));
                }
                return Err(SqlError::unknown_database(
                    r.database.as_deref().unwrap_or(&session.database),
                ));
            }
        };
        table.database = self.database_of(&loc);
        let undo_loc = loc.clone();
        match loc {
            Location::Temp { key } => {
                let mut temps = session.temp_tables();
                if temps.contains_key(&key) {
                    return Err(SqlError::object_exists(&r.name));
                }
                temps.insert(key, table);
            }
            Location::Db { db, key } => {
                let mut st = self.write();
                let Some(d) = st.databases.get_mut(&db) else {
                    return Err(SqlError::unknown_database(&db));
                };
                if d.tables.contains_key(&key) {
                    return Err(SqlError::object_exists(&r.name));
                }
                d.tables.insert(key, table);
            }
        }
        session.remember(|| Undo::Image {
            loc: undo_loc,
            table: None,
        });
        Ok(())
    }

    /// Removes a table; `false` if it did not exist.
    pub(crate) fn drop_table(&self, session: &Session, r: &ObjectRef) -> bool {
        let Some(loc) = self.locate(session, r) else {
            return false;
        };
        let removed = match &loc {
            Location::Temp { key } => session.temp_tables().remove(key),
            Location::Db { db, key } => self
                .write()
                .databases
                .get_mut(db)
                .and_then(|d| d.tables.remove(key)),
        };
        match removed {
            Some(table) => {
                session.remember(|| Undo::Image {
                    loc,
                    table: Some(table),
                });
                true
            }
            None => false,
        }
    }

    /// Visits every table the session can see in `database` (its own temp tables included when
    /// `database` is tempdb), for the catalog views.
    pub(crate) fn for_each_table(
        &self,
        session: &Session,
        database: &str,
        mut f: impl FnMut(&Table),
    ) {
        let db = key(database);
        if let Some(d) = self.read().databases.get(&db) {
            d.tables.values().for_each(&mut f);
        }
        if db == "tempdb" {
            session.temp_tables().values().for_each(f);
        }
    }

    /// `OBJECT_NAME(id)`: the table with that object id in `database`.
    pub(crate) fn table_name_by_id(
        &self,
        session: &Session,
        database: &str,
        id: i64,
    ) -> Option<String> {
        let mut found = None;
        self.for_each_table(session, database, |t| {
            if i64::from(t.object_id) == id {
                found = Some(t.name.clone());
            }
        });
        found
    }
}
