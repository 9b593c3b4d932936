//! One load from start to end: infer over the files, connect, decide the target (create, or
//! check the existing table), then the load pass on a worker thread feeding the bulk session
//! while Tokio does the socket I/O.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::BytesMut;
use sluice_client::bulk::{
    prepare, BulkControl, BulkCopyOptions, BulkFailureKind, BulkOutcome, BulkPlan, BulkSession,
    JournalSpec, SessionOptions,
};
use sluice_client::Connection;
use tds::bulk::{insert_bulk_statement, parse_multipart_name, quote_multipart, BulkOptions};

use sluice_files::infer::InferOptions;
use sluice_files::read_ahead::{with_read_ahead, ReadAheadOptions};

use crate::hooks;
use crate::infer_pass::infer;
use crate::mapping;
use crate::multi_file::Combined;
use crate::progress::{LoadProgress, OnProgress, ProgressState, ReadCounters};
use crate::recording;
use crate::reject_file::{self, RejectWriter};
use crate::request::{spec, LoadControl, LoadRequest};
use crate::row_pass::{cancelled, file_fields, rules_by_field, Pass, PassEnd, Sink};
use crate::source::{with_source, SourceSpec};
use crate::state_file::FileRead;
use crate::summary::{Account, FileSummary, LoadError, LoadErrorKind, LoadSummary};
use crate::target;
use crate::template::LoadMode;

/// Runs a load. Progress goes to `on_progress` (at most ~10 per second, and a final one).
pub async fn load(
    req: LoadRequest,
    on_progress: Option<OnProgress>,
    control: LoadControl,
) -> Result<LoadSummary, LoadError> {
    let started = Instant::now();
    if req.files.is_empty() {
        return Err(LoadError::usage("no file to load"));
    }
    let parts = parse_multipart_name(&req.table).map_err(LoadError::usage)?;
    if req.resume && !req.journal {
        return Err(LoadError::usage(
            "--resume continues a journaled load; --no-journal loads keep no record to resume from",
        ));
    }
    if req.resume {
        hooks::resume(&req)?;
    }
    // A load that sends rows is recorded (state file + journal) so that it can be resumed.
    let recorded = !req.dry_run && req.journal;
    let specs: Vec<SourceSpec> = req.files.iter().map(|p| spec(&req, p)).collect();
    let bytes_total = req
        .files
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();

    let inferred = {
        let specs = specs.clone();
        let cancel = control.cancelled.clone();
        let use_cache = req.infer_cache;
        tokio::task::spawn_blocking(move || infer(&specs, &cancel, use_cache))
            .await
            .map_err(|e| LoadError::input(format!("the inference stopped: {e}")))??
    };
    if control.is_cancelled() {
        return Err(cancelled());
    }
    // The load pass reads each file with the header decision the inference made for it.
    let specs: Vec<SourceSpec> = specs
        .into_iter()
        .zip(&inferred.files)
        .map(|(s, f)| SourceSpec {
            has_header: Some(f.has_header),
            ..s
        })
        .collect();
    let field_maps: Vec<Vec<Option<usize>>> =
        inferred.files.iter().map(|f| f.field_map.clone()).collect();
    let mut notes = inferred.notes.clone();
    if let Some(t) = &req.template {
        notes.extend(hooks::check_drift(t, &inferred.schema, req.allow_drift)?);
    }

    let mut conn = Connection::connect_str(&req.connection)
        .await
        .map_err(|e| LoadError::client("connecting", &e))?;
    let quoted = quote_multipart(&parts);
    let mapping_sha = inferred.mapping_sha(req.template.as_ref());
    let resumed = match req.resume {
        true => Some(recording::resume(&mut conn, &req.files, &req.table, &mapping_sha).await?),
        false => None,
    };
    // A resumed load goes on into the table its first run made or emptied: never again.
    let mode = if resumed.is_some() {
        LoadMode::Append
    } else {
        req.mode
    };
    // The journal table first, on its own and before anything changes: a login that may load
    // rows but not create tables hears what is missing and how to load anyway.
    let journal_schema = parts
        .len()
        .checked_sub(2)
        .and_then(|i| parts.get(i))
        .filter(|s| !s.is_empty())
        .map_or("dbo", String::as_str);
    if recorded && resumed.is_none() {
        let probe = JournalSpec::new(journal_schema, "-");
        if let Err(e) = conn.execute(&probe.create_sql()).await {
            return Err(LoadError::client(
                &format!(
                    "creating the load journal {} (it lets --resume settle a batch in doubt; \
                     --no-journal loads without it, and without --resume)",
                    probe.qualified_table()
                ),
                &e,
            ));
        }
    }
    let exists = conn
        .execute(&format!("SELECT TOP 0 * FROM {quoted}"))
        .await
        .is_ok();
    let (columns, wire) = match mode {
        LoadMode::Create => {
            if exists {
                return Err(LoadError::input(format!(
                    "table {quoted} already exists; --create never overwrites a table (use --append or --truncate)"
                )));
            }
            let columns = match &req.template {
                Some(t) => mapping::from_template(
                    &inferred.schema,
                    &t.mapping,
                    &InferOptions::default().nulls,
                )?,
                None => mapping::from_schema(&inferred.schema),
            };
            if columns.is_empty() {
                return Err(LoadError::input("the file has no columns"));
            }
            let pk = req
                .template
                .as_ref()
                .map(|t| t.target.primary_key.clone())
                .unwrap_or_default();
            let sql = target::create_table_sql(&parts, &columns, &pk);
            if req.dry_run {
                notes.push(format!("would run: {sql}"));
                (columns, None)
            } else {
                conn.execute(&sql)
                    .await
                    .map_err(|e| LoadError::client(&format!("creating {quoted}"), &e))?;
                let plan = prepare(&mut conn, &req.table, &BulkCopyOptions::default())
                    .await
                    .map_err(|e| LoadError::client(&format!("reading {quoted}"), &e))?;
                (columns, Some(plan.columns))
            }
        }
        LoadMode::Append | LoadMode::Truncate => {
            if !exists {
                return Err(LoadError::input(format!(
                    "table {quoted} does not exist (use --create to make it)"
                )));
            }
            let plan = prepare(&mut conn, &req.table, &BulkCopyOptions::default())
                .await
                .map_err(|e| LoadError::client(&format!("reading {quoted}"), &e))?;
            let columns = match &req.template {
                Some(t) => {
                    let mut cols = mapping::from_template(
                        &inferred.schema,
                        &t.mapping,
                        &InferOptions::default().nulls,
                    )?;
                    for c in &mut cols {
                        if let Some(col) = plan
                            .columns
                            .iter()
                            .find(|w| w.name.eq_ignore_ascii_case(&c.name))
                        {
                            if let Some(t) = target::conversion_type(&col.ty) {
                                c.rule.sql_type = t;
                            }
                        }
                    }
                    cols
                }
                None => target::match_table(&inferred.schema, &plan.columns),
            };
            let mut problems = target::check_table(&inferred.schema, &plan.columns, &columns);
            if req.template.is_some() {
                problems.retain(|p| !p.starts_with("file column"));
            }
            if let Some(missing) = columns.iter().find(|c| {
                !plan
                    .columns
                    .iter()
                    .any(|w| w.name.eq_ignore_ascii_case(&c.name))
            }) {
                problems.push(format!("{quoted} has no column {:?}", missing.name));
            }
            // With --max-errors, values that do not fit are rejected row by row instead.
            let blocking: Vec<&String> = problems
                .iter()
                .filter(|p| req.max_errors == 0 || !p.contains("cannot hold"))
                .collect();
            if !blocking.is_empty() {
                let list: Vec<String> = blocking.iter().map(|p| format!("  - {p}")).collect();
                return Err(LoadError::input(format!(
                    "the file does not fit {quoted}; nothing was sent:\n{}",
                    list.join("\n")
                )));
            }
            notes.extend(problems);
            let wire = columns
                .iter()
                .filter_map(|c| {
                    plan.columns
                        .iter()
                        .find(|w| w.name.eq_ignore_ascii_case(&c.name))
                        .cloned()
                })
                .collect();
            if mode == LoadMode::Truncate && !req.dry_run {
                conn.execute(&format!("TRUNCATE TABLE {quoted}"))
                    .await
                    .map_err(|e| LoadError::client(&format!("truncating {quoted}"), &e))?;
            }
            (columns, Some(wire))
        }
    };

    let counters = Arc::new(ReadCounters::default());
    let state = Arc::new(ProgressState {
        read: counters.clone(),
        started,
        bytes_total,
    });
    let session_control: Arc<Mutex<Option<BulkControl>>> = Arc::new(Mutex::new(None));
    let ticker = on_progress.clone().map(|f| {
        let state = state.clone();
        let sc = session_control.clone();
        tokio::spawn(async move {
            let mut last = LoadProgress::default();
            let mut tick = tokio::time::interval(Duration::from_millis(100));
            loop {
                tick.tick().await;
                let snap = sc
                    .lock()
                    .ok()
                    .and_then(|s| s.as_ref().map(BulkControl::progress));
                let mut now = state.snapshot(snap);
                let elapsed = now.elapsed_ms;
                now.elapsed_ms = last.elapsed_ms;
                if now != last {
                    now.elapsed_ms = elapsed;
                    last = now;
                    f(now);
                }
            }
        })
    });

    // A resumed load never overwrites the reject file of the runs before it: the rows they
    // rejected inside committed batches are only there.
    let reject_path = req.reject_file.as_ref().map(|p| {
        if resumed.is_some() && p.exists() {
            let next = reject_file::beside(p);
            notes.push(format!(
                "rows rejected before the resume are in {}; this run's go to {} (rows of the part \
                 not committed then are read again, so a row rejected then may be in both)",
                p.display(),
                next.display()
            ));
            next
        } else {
            p.clone()
        }
    });
    let mut rejects = reject_path
        .as_ref()
        .map(|p| RejectWriter::new(p, inferred.delimiter, inferred.raw_header.clone()));
    let recording = match (&wire, req.dry_run, recorded) {
        (Some(_), false, true) => Some(recording::start(
            resumed,
            &req.files,
            &req.table,
            journal_schema,
            &mapping_sha,
            mode == LoadMode::Create,
        )?),
        _ => None,
    };
    if !req.journal && !req.dry_run {
        notes.push(
            "--no-journal: batches commit without a journal row, so this load cannot be resumed"
                .to_string(),
        );
    }
    let resume_at = recording.as_ref().and_then(|r| r.resume_at.clone());
    notes.extend(recording.as_ref().and_then(|r| r.resumed_note(&req.files)));
    let session = match (&wire, req.dry_run) {
        (Some(cols), false) => {
            let hints = BulkOptions {
                table_lock: req.table_lock,
                ..Default::default()
            };
            let plan = BulkPlan {
                table: parts.clone(),
                statement: insert_bulk_statement(&parts, cols, &hints),
                columns: cols.clone(),
                sources: (0..cols.len()).collect(),
                batch_size: req.batch_size,
                in_transaction: false,
                defaults_unknown: None,
                notes: Vec::new(),
            };
            let s = match &recording {
                Some(r) => {
                    BulkSession::start_journaled(conn, plan, SessionOptions::default(), r.journal())
                }
                None => BulkSession::start(conn, plan, SessionOptions::default()),
            };
            if let Ok(mut c) = control.session.lock() {
                *c = Some(s.control.canceller());
            }
            if let Ok(mut c) = session_control.lock() {
                *c = Some(s.control.clone());
            }
            if control.is_cancelled() {
                s.control.cancel();
            }
            Some(s)
        }
        _ => None,
    };

    let rt = tokio::runtime::Handle::current();
    let max_errors = req.max_errors;
    let marks = recording.as_ref().map(recording::Recording::marks);
    let rejected_before = recording.as_ref().map_or(0, |r| r.rejected_before);
    let cancel = control.cancelled.clone();
    let worker_counters = counters.clone();
    let worker = tokio::task::spawn_blocking(move || {
        let mut session = session;
        let mut pass = Pass {
            columns: &columns,
            counters: &worker_counters,
            cancel: &cancel,
            rejects: rejects.as_mut(),
            max_errors,
            rejected: rejected_before,
            skip: 0,
            record: 0,
            file_fields: Vec::new(),
        };
        let mut files = Vec::new();
        let mut went_to = None;
        let mut end = PassEnd::Done;
        let mut failure = None;
        for (i, spec) in specs.iter().enumerate() {
            worker_counters.file.store(i as u64, Ordering::Relaxed);
            // A resumed load does not read the files its earlier runs committed whole.
            if let Some(c) = resume_at
                .as_ref()
                .filter(|at| i < at.file)
                .and_then(|at| at.committed.get(i))
            {
                files.push(FileSummary {
                    path: spec.path.display().to_string(),
                    rows_loaded_before: c.records.saturating_sub(c.rejected),
                    rows_rejected_before: c.rejected,
                    ..Default::default()
                });
                let size = std::fs::metadata(&spec.path).map_or(0, |m| m.len());
                worker_counters
                    .bytes_done
                    .fetch_add(size, Ordering::Relaxed);
                continue;
            }
            // The file where it stopped: its committed records are skipped.
            let here = resume_at.as_ref().filter(|at| at.file == i);
            if let Some(at) = here {
                pass.record = at.records_before;
                pass.skip = at.skip;
            }
            let start = pass.record;
            let before = here
                .and_then(|at| at.committed.get(i).copied())
                .unwrap_or_default();
            let map = field_maps.get(i).cloned().unwrap_or_default();
            // The read-ahead thread converts each field under its column's rule, so that this
            // one only encodes.
            pass.file_fields = file_fields(&columns, &map);
            let rules = rules_by_field(&columns, &pass.file_fields);
            // The raw bytes of each record go along only when a reject file may need them.
            let read_ahead = ReadAheadOptions {
                keep_raw: pass.rejects.is_some(),
                convert: Some(&rules),
                // A single-byte code page's fields as the file holds them, for varchar
                // columns (copied as they are into a column of that code page).
                keep_code_page: pass
                    .columns
                    .iter()
                    .any(|c| matches!(c.rule.sql_type, sluice_files::infer::SqlType::VarChar(_))),
                ..Default::default()
            };
            // A resumed load goes straight to the first record not committed when the reader
            // can; otherwise the pass reads and drops the committed ones.
            let spec = &SourceSpec {
                resume_offset: here.and_then(|at| at.offset),
                ..spec.clone()
            };
            let r = with_source(spec, |src, info| {
                if let Some(offset) = info.resumed_at {
                    pass.record += pass.skip;
                    pass.skip = 0;
                    went_to = Some((offset, spec.path.display().to_string()));
                }
                // A second thread reads and splits the file while this one converts and encodes.
                with_read_ahead(src, read_ahead, |src| {
                    // Fields in the combined column order: columns match by name in every file.
                    let mut src = Combined {
                        inner: src,
                        map,
                        offset: 0,
                    };
                    let mut sink = match (&mut session, &wire) {
                        (Some(s), _) => Sink::Session {
                            encoder: &mut s.encoder,
                            rt: rt.clone(),
                        },
                        (None, Some(cols)) => Sink::Scratch {
                            columns: cols,
                            buf: BytesMut::with_capacity(4096),
                        },
                        (None, None) => Sink::ConvertOnly,
                    };
                    pass.run(&mut src, &mut sink)
                })
            });
            let bytes = worker_counters.bytes_read.swap(0, Ordering::Relaxed);
            worker_counters
                .bytes_done
                .fetch_add(bytes, Ordering::Relaxed);
            match r {
                Ok((e, read, rejected)) => {
                    files.push(FileSummary {
                        path: spec.path.display().to_string(),
                        rows_read: read,
                        rows_loaded: read - rejected,
                        rows_rejected: rejected,
                        rows_loaded_before: before.records.saturating_sub(before.rejected),
                        rows_rejected_before: before.rejected,
                    });
                    if e != PassEnd::Done {
                        end = e;
                        break;
                    }
                    // Its record count goes to the state file before the next file is read.
                    if let Some(m) = &marks {
                        let records = pass.record - start;
                        let rejected = before.rejected + rejected;
                        m.file_read(i, FileRead { records, rejected });
                    }
                }
                Err(e) => {
                    failure = Some(e);
                    break;
                }
            }
        }
        let reject_result = pass.rejects.as_deref_mut().map(RejectWriter::finish);
        let reject_path = rejects
            .as_ref()
            .filter(|w| w.rows > 0)
            .map(|w| w.path().display().to_string());
        let outcome = session.map(|s| {
            if failure.is_none() && end == PassEnd::Done {
                rt.block_on(s.finish())
            } else {
                rt.block_on(s.abandon())
            }
        });
        (
            files,
            end,
            failure,
            reject_result,
            reject_path,
            outcome,
            went_to,
        )
    });
    let (files, end, failure, reject_result, reject_path, outcome, went_to) = worker
        .await
        .map_err(|e| LoadError::input(format!("the load pass stopped: {e}")))?;
    if let Some(t) = ticker {
        t.abort();
    }
    if let Some((offset, path)) = went_to {
        notes.push(format!(
            "the reader went straight to byte {offset} of {path}, the first record not committed (none read again)"
        ));
    }
    let rows_read = counters.rows_read.load(Ordering::Relaxed);
    let rows_rejected = counters.rows_rejected.load(Ordering::Relaxed);
    if let Some(f) = &on_progress {
        let snap = session_control
            .lock()
            .ok()
            .and_then(|s| s.as_ref().map(BulkControl::progress));
        f(state.snapshot(snap));
    }
    if let Some(Err(e)) = reject_result {
        return Err(e);
    }
    let account = |committed: u64, batches: u64, in_doubt| Account {
        rows_read,
        rows_committed: committed,
        batches_committed: batches,
        rows_rejected,
        in_doubt_batch: in_doubt,
    };
    let elapsed_ms = started.elapsed().as_millis() as u64;
    // Where a stopped load can be resumed from: said in the error.
    let mut resume_hint = None;
    if let Some(r) = recording {
        match &outcome {
            Some(BulkOutcome { result: Ok(_), .. })
                if failure.is_none() && end == PassEnd::Done =>
            {
                if let Some(problem) = r.finished() {
                    notes.push(problem);
                }
            }
            Some(BulkOutcome { result: Err(f), .. }) => resume_hint = Some(r.stopped(f)),
            _ => {}
        }
    }
    let result = match outcome {
        Some(BulkOutcome {
            result: Ok(summary),
            ..
        }) if failure.is_none() && end == PassEnd::Done => Ok(LoadSummary {
            rows_read,
            rows_loaded: summary.rows_copied,
            rows_rejected,
            batches: summary.batch_count,
            elapsed_ms,
            dry_run: false,
            files,
            reject_file: reject_path,
            notes,
        }),
        Some(BulkOutcome {
            result: Ok(summary),
            ..
        }) => {
            let mut e = failure.unwrap_or_else(cancelled);
            e.account = Some(account(summary.rows_copied, summary.batch_count, None));
            Err(e)
        }
        Some(BulkOutcome { result: Err(f), .. }) => {
            let mut e = match (failure, f.kind) {
                (Some(e), BulkFailureKind::Source) => e,
                (_, BulkFailureKind::Cancelled) => cancelled(),
                (_, BulkFailureKind::Server) => {
                    LoadError::client("the server refused a batch", &f.error)
                }
                (_, BulkFailureKind::Source) if end == PassEnd::Cancelled => cancelled(),
                (_, _) => LoadError::new(LoadErrorKind::Connection, f.to_string()),
            };
            e.account = Some(account(
                f.rows_committed,
                f.batches_committed,
                f.in_doubt_batch,
            ));
            Err(e)
        }
        None => match failure {
            Some(e) => Err(e),
            None if end == PassEnd::Cancelled => Err(cancelled()),
            None => Ok(LoadSummary {
                rows_read,
                rows_loaded: rows_read - rows_rejected,
                rows_rejected,
                batches: 0,
                elapsed_ms,
                dry_run: true,
                files,
                reject_file: reject_path,
                notes,
            }),
        },
    };
    result.map_err(|mut e| {
        if let Some(h) = resume_hint {
            e.message = format!("{}; {h}", e.message);
        }
        e
    })
}
