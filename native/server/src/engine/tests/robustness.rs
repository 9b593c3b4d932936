//! Hostile and truncated input: every prefix and many mutations of real statements must give
//! outcomes, never a panic.

use super::Db;
use tds::value::Value;

const CORPUS: &[&str] = &[
    "CREATE TABLE t (id int IDENTITY(1,1) PRIMARY KEY, a nvarchar(max) COLLATE Latin1_General_CI_AS NOT NULL DEFAULT N'x', b decimal(18,4), c datetime2(3))",
    "INSERT INTO t (a, b, c) VALUES (N'x', -1.5, '2024-01-01'), ('y', 1e3, NULL)",
    "SELECT TOP (2) a, b AS bee FROM dbo.t WHERE b > 0 AND a LIKE 'x%' ORDER BY 2 DESC",
    "select @@trancount; SET FMTONLY ON select * from [t] SET FMTONLY OFF exec ..sp_tablecollations_100 N'[dbo].[t]'",
    "IF OBJECT_ID(N'dbo.t', 'U') IS NOT NULL DROP TABLE dbo.t",
    "SELECT CAST(1 AS varchar(5)) + 'x', CONVERT(int, '12'), CASE WHEN 1 = 1 THEN 0x0F END, (SELECT COUNT(*) FROM t)",
    "UPDATE t SET b = b * 2 WHERE id IN (1, 2) DELETE t WHERE c IS NULL TRUNCATE TABLE t",
    "INSERT BULK [dbo].[t] ([a] NVarChar(50) COLLATE Latin1_General_CI_AS, [b] Decimal(18,4)) WITH (TABLOCK, ROWS_PER_BATCH = 5)",
    "BEGIN TRAN x SAVE TRAN y COMMIT TRAN x USE master USE sluice SET IDENTITY_INSERT t ON",
];

#[test]
fn every_prefix_of_real_statements_is_handled() {
    let mut db = Db::new();
    for sql in CORPUS {
        for (i, _) in sql.char_indices() {
            db.exec(&sql[..i]);
        }
        db.exec(sql);
    }
}

#[test]
fn mutated_statements_are_handled() {
    let mut db = Db::new();
    let alphabet: Vec<char> = "()[]'\",;.-+*/%=<>!@#$0x1e9 \nNSELECTFROMWHEREéé☃\u{0}"
        .chars()
        .collect();
    let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..3000 {
        let base = CORPUS[(next() % CORPUS.len() as u64) as usize];
        let mut chars: Vec<char> = base.chars().collect();
        for _ in 0..(1 + next() % 4) {
            let pos = (next() % (chars.len() as u64 + 1)) as usize;
            let c = alphabet[(next() % alphabet.len() as u64) as usize];
            match next() % 3 {
                0 if pos < chars.len() => {
                    chars.remove(pos);
                }
                1 if pos < chars.len() => chars[pos] = c,
                _ => chars.insert(pos, c),
            }
        }
        let sql: String = chars.into_iter().collect();
        db.exec(&sql);
    }
}

#[test]
fn deep_but_legal_statements_fit_a_small_thread_stack() {
    // Tokio worker threads have 2 MiB stacks. The longest operator chains the parser lets
    // through must be evaluated (and dropped) within half of that, in debug builds too.
    let worker = std::thread::Builder::new().stack_size(1 << 20).spawn(|| {
        let mut db = Db::new();
        let sum = format!("SELECT 1{}", "+1".repeat(1999));
        assert_eq!(db.scalar(&sum), Value::Int(2000));
        let and = format!("SELECT 1 WHERE {}1 = 1", "1 = 1 AND ".repeat(990));
        assert_eq!(db.rows(&and).len(), 1);
        let or = format!("SELECT 1 WHERE 1 = 0{}", " OR 1 = 1".repeat(990));
        assert_eq!(db.rows(&or).len(), 1);
        let concat = format!("SELECT 'a'{}", " + 'a'".repeat(999));
        assert!(matches!(db.scalar(&concat), Value::String(s) if s.len() == 1000));
        let chain = "+1".repeat(990);
        db.ok(&format!(
            "CREATE TABLE d (a int DEFAULT 1{chain}, b int) INSERT INTO d (b) VALUES (1)"
        ));
        assert_eq!(db.scalar("SELECT a FROM d"), Value::Int(991));
        db.rows("SELECT COLUMN_DEFAULT FROM INFORMATION_SCHEMA.COLUMNS");
        db.ok(&format!(
            "UPDATE d SET b = b{chain} IF 1{chain} = 991 BEGIN SELECT 1 END"
        ));
        assert_eq!(
            db.error(&format!("SELECT * FROM d WHERE a{}", "+a".repeat(990)))
                .number,
            4145
        );
        assert_eq!(
            db.error(&format!("SELECT COUNT(*), a{} FROM d", "+a".repeat(990)))
                .number,
            8120
        );
    });
    assert!(worker.unwrap().join().is_ok());
}
