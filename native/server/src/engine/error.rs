//! SQL Server errors as the engine raises them: number, state, class and the message text SQL
//! Server uses (from `sys.messages`), plus how far each error unwinds the batch.

use std::fmt;

/// An error as it travels in an ERROR token (MS-TDS 2.2.7.10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SqlError {
    pub number: u32,
    pub state: u8,
    /// Severity: 11–16 are user errors, 15 is a syntax error, 0–10 are informational.
    pub class: u8,
    pub message: String,
    /// 1-based line of the batch the statement starts on; 0 until the batch runner sets it.
    pub line: u32,
}

impl fmt::Display for SqlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Msg {}, Level {}, State {}, Line {}: {}",
            self.number, self.class, self.state, self.line, self.message
        )
    }
}

impl std::error::Error for SqlError {}

/// How much of the batch an error abandons, following SQL Server's classification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unwind {
    /// The statement is rolled back and the batch goes on with the next statement.
    Statement,
    /// The rest of the batch is skipped (compile errors of a deferred statement such as a
    /// missing table or column, and conversion errors).
    Batch,
}

impl SqlError {
    pub fn new(number: u32, class: u8, state: u8, message: impl Into<String>) -> Self {
        SqlError {
            number,
            state,
            class,
            message: message.into(),
            line: 0,
        }
    }

    pub(crate) fn unwind(&self) -> Unwind {
        match self.number {
            // Deferred name resolution failures, conversion errors, undeclared variables and
            // unknown SET options abort the batch in SQL Server.
            207 | 208 | 137 | 195 | 235 | 241 | 242 | 245 | 248 | 8114 | 8169 | 4104 | 191 => {
                Unwind::Batch
            }
            _ => Unwind::Statement,
        }
    }

    /// Errors after which SQL Server adds INFO 3621 "The statement has been terminated."
    pub(crate) fn terminates_dml(&self) -> bool {
        matches!(self.number, 515 | 2627 | 2628 | 8115 | 220 | 8134 | 4815)
    }

    pub(crate) fn syntax_near(token: &str) -> Self {
        SqlError::new(102, 15, 1, format!("Incorrect syntax near '{token}'."))
    }

    pub(crate) fn unclosed_quote(rest: &str) -> Self {
        SqlError::new(
            105,
            15,
            1,
            format!("Unclosed quotation mark after the character string '{rest}'."),
        )
    }

    pub(crate) fn nested_too_deeply() -> Self {
        SqlError::new(
            191,
            15,
            1,
            "Some part of your SQL statement is nested too deeply. Rewrite the query or break it up into smaller queries.",
        )
    }

    /// 40517: a well-formed statement or clause this engine does not implement.
    pub(crate) fn unsupported(what: &str) -> Self {
        let what: String = what.chars().take(100).collect();
        SqlError::new(40517, 16, 1, format!("Keyword or statement option '{what}' is not supported in this version of SQL Server."))
    }

    pub(crate) fn invalid_object(name: &str) -> Self {
        SqlError::new(208, 16, 1, format!("Invalid object name '{name}'."))
    }

    pub(crate) fn invalid_column(name: &str) -> Self {
        SqlError::new(207, 16, 1, format!("Invalid column name '{name}'."))
    }

    pub(crate) fn unbound_identifier(name: &str) -> Self {
        SqlError::new(
            4104,
            16,
            1,
            format!("The multi-part identifier \"{name}\" could not be bound."),
        )
    }

    pub(crate) fn object_exists(name: &str) -> Self {
        SqlError::new(
            2714,
            16,
            6,
            format!("There is already an object named '{name}' in the database."),
        )
    }

    pub(crate) fn cannot_drop_table(name: &str) -> Self {
        SqlError::new(
            3701,
            11,
            5,
            format!("Cannot drop the table '{name}', because it does not exist or you do not have permission."),
        )
    }

    pub(crate) fn object_not_found(name: &str) -> Self {
        SqlError::new(
            4701,
            16,
            1,
            format!("Cannot find the object \"{name}\" because it does not exist or you do not have permissions."),
        )
    }

    /// Azure SQL Database's refusal of a name in another database.
    pub(crate) fn other_database_reference(name: &str) -> Self {
        SqlError::new(
            40515,
            15,
            1,
            format!("Reference to database and/or server name in '{name}' is not supported in this version of SQL Server."),
        )
    }

    pub(crate) fn unknown_database(name: &str) -> Self {
        SqlError::new(
            911,
            16,
            1,
            format!(
                "Database '{name}' does not exist. Make sure that the name is entered correctly."
            ),
        )
    }

    pub(crate) fn invalid_collation(name: &str) -> Self {
        SqlError::new(448, 16, 1, format!("Invalid collation '{name}'."))
    }

    pub(crate) fn undeclared_variable(name: &str) -> Self {
        SqlError::new(
            137,
            15,
            2,
            format!("Must declare the scalar variable \"{name}\"."),
        )
    }

    pub(crate) fn unknown_function(name: &str) -> Self {
        SqlError::new(
            195,
            15,
            10,
            format!("'{name}' is not a recognized built-in function name."),
        )
    }

    pub(crate) fn arithmetic_overflow(from: &str, to: &str) -> Self {
        SqlError::new(
            8115,
            16,
            2,
            format!("Arithmetic overflow error converting {from} to data type {to}."),
        )
    }

    pub(crate) fn divide_by_zero() -> Self {
        SqlError::new(8134, 16, 1, "Divide by zero error encountered.")
    }

    pub(crate) fn null_not_allowed(column: &str, table: &str, verb: &str) -> Self {
        SqlError::new(
            515,
            16,
            2,
            format!("Cannot insert the value NULL into column '{column}', table '{table}'; column does not allow nulls. {verb} fails."),
        )
    }

    pub(crate) fn truncated(table: &str, column: &str, value: &str) -> Self {
        SqlError::new(
            2628,
            16,
            1,
            format!("String or binary data would be truncated in table '{table}', column '{column}'. Truncated value: '{value}'."),
        )
    }

    pub(crate) fn statement_terminated() -> (u32, String) {
        (3621, "The statement has been terminated.".to_string())
    }
}
