use super::*;
use sluice_files::infer::{ColumnRule, DateOrder, NullPolicy};

fn col(name: &str, t: SqlType, nullable: bool) -> TargetColumn {
    TargetColumn {
        name: name.into(),
        source: ValueSource::Field(0),
        source_name: name.into(),
        rule: ColumnRule {
            sql_type: t,
            date_order: DateOrder::MonthFirst,
            nulls: NullPolicy::default(),
        },
        nullable,
    }
}

#[test]
fn create_table_quotes_every_identifier() {
    let sql = create_table_sql(
        &["dbo".into(), "a]; DROP TABLE x;--".into()],
        &[
            col("id", SqlType::Int, false),
            col("we]ird name", SqlType::NVarChar(Some(40)), true),
        ],
        &["id".into()],
    );
    assert_eq!(
        sql,
        "CREATE TABLE [dbo].[a]]; DROP TABLE x;--] ([id] int NOT NULL, [we]]ird name] nvarchar(40) NULL, PRIMARY KEY ([id]))"
    );
}

#[test]
fn table_columns_convert_into_their_own_types() {
    assert_eq!(
        conversion_type(&WireType::Numeric {
            precision: 9,
            scale: 3
        }),
        Some(SqlType::Decimal {
            precision: 9,
            scale: 3
        })
    );
    assert_eq!(
        conversion_type(&WireType::DateTime),
        Some(SqlType::DateTime2(7))
    );
    // Character columns check lengths in their own units when encoded.
    assert_eq!(
        conversion_type(&WireType::VarChar {
            len: VarLen::Len(5),
            collation: tds::collation::Collation::SQL_LATIN1_GENERAL_CP1_CI_AS
        }),
        Some(SqlType::VarChar(None))
    );
    assert_eq!(conversion_type(&WireType::Image), None);
}
