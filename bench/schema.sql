CREATE TABLE dbo.bench (
  id int NOT NULL,
  big bigint NULL,
  amount decimal(18,4) NULL,
  ratio float NULL,
  flag bit NULL,
  born date NULL,
  created datetime2 NULL,
  guid uniqueidentifier NULL,
  code varchar(20) NULL,
  name nvarchar(100) NULL,
  note nvarchar(max) NULL,
  price money NULL
)
