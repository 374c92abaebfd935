//! Counter names of the modules whose records carry counters, in the current record layout
//! (the one older layouts are up-converted to). The names and their order are those of Darshan's
//! log format (`include/darshan-*-log-format.h` of darshan-hpc/darshan, as of format 3.41 and
//! POSIX 4, MPI-IO 3, STDIO 2, H5F 3, H5D 2, PNETCDF_FILE 3, PNETCDF_VAR 1, BG/Q 2, LUSTRE 2):
//! they are facts of the file format, kept identical so that names agree with Darshan's tools and
//! PyDarshan. Generated from those headers; each module's `COUNTERS` and `F_COUNTERS` list the
//! integer and floating-point counters, and each name has a constant holding its index.

/// POSIX.
pub mod posix {
    /// Integer counters, in record order.
    pub const COUNTERS: [&str; 69] = [
        "POSIX_OPENS",
        "POSIX_FILENOS",
        "POSIX_DUPS",
        "POSIX_READS",
        "POSIX_WRITES",
        "POSIX_SEEKS",
        "POSIX_STATS",
        "POSIX_MMAPS",
        "POSIX_FSYNCS",
        "POSIX_FDSYNCS",
        "POSIX_RENAME_SOURCES",
        "POSIX_RENAME_TARGETS",
        "POSIX_RENAMED_FROM",
        "POSIX_MODE",
        "POSIX_BYTES_READ",
        "POSIX_BYTES_WRITTEN",
        "POSIX_MAX_BYTE_READ",
        "POSIX_MAX_BYTE_WRITTEN",
        "POSIX_CONSEC_READS",
        "POSIX_CONSEC_WRITES",
        "POSIX_SEQ_READS",
        "POSIX_SEQ_WRITES",
        "POSIX_RW_SWITCHES",
        "POSIX_MEM_NOT_ALIGNED",
        "POSIX_MEM_ALIGNMENT",
        "POSIX_FILE_NOT_ALIGNED",
        "POSIX_FILE_ALIGNMENT",
        "POSIX_MAX_READ_TIME_SIZE",
        "POSIX_MAX_WRITE_TIME_SIZE",
        "POSIX_SIZE_READ_0_100",
        "POSIX_SIZE_READ_100_1K",
        "POSIX_SIZE_READ_1K_10K",
        "POSIX_SIZE_READ_10K_100K",
        "POSIX_SIZE_READ_100K_1M",
        "POSIX_SIZE_READ_1M_4M",
        "POSIX_SIZE_READ_4M_10M",
        "POSIX_SIZE_READ_10M_100M",
        "POSIX_SIZE_READ_100M_1G",
        "POSIX_SIZE_READ_1G_PLUS",
        "POSIX_SIZE_WRITE_0_100",
        "POSIX_SIZE_WRITE_100_1K",
        "POSIX_SIZE_WRITE_1K_10K",
        "POSIX_SIZE_WRITE_10K_100K",
        "POSIX_SIZE_WRITE_100K_1M",
        "POSIX_SIZE_WRITE_1M_4M",
        "POSIX_SIZE_WRITE_4M_10M",
        "POSIX_SIZE_WRITE_10M_100M",
        "POSIX_SIZE_WRITE_100M_1G",
        "POSIX_SIZE_WRITE_1G_PLUS",
        "POSIX_STRIDE1_STRIDE",
        "POSIX_STRIDE2_STRIDE",
        "POSIX_STRIDE3_STRIDE",
        "POSIX_STRIDE4_STRIDE",
        "POSIX_STRIDE1_COUNT",
        "POSIX_STRIDE2_COUNT",
        "POSIX_STRIDE3_COUNT",
        "POSIX_STRIDE4_COUNT",
        "POSIX_ACCESS1_ACCESS",
        "POSIX_ACCESS2_ACCESS",
        "POSIX_ACCESS3_ACCESS",
        "POSIX_ACCESS4_ACCESS",
        "POSIX_ACCESS1_COUNT",
        "POSIX_ACCESS2_COUNT",
        "POSIX_ACCESS3_COUNT",
        "POSIX_ACCESS4_COUNT",
        "POSIX_FASTEST_RANK",
        "POSIX_FASTEST_RANK_BYTES",
        "POSIX_SLOWEST_RANK",
        "POSIX_SLOWEST_RANK_BYTES",
    ];
    /// Floating-point counters, in record order.
    pub const F_COUNTERS: [&str; 17] = [
        "POSIX_F_OPEN_START_TIMESTAMP",
        "POSIX_F_READ_START_TIMESTAMP",
        "POSIX_F_WRITE_START_TIMESTAMP",
        "POSIX_F_CLOSE_START_TIMESTAMP",
        "POSIX_F_OPEN_END_TIMESTAMP",
        "POSIX_F_READ_END_TIMESTAMP",
        "POSIX_F_WRITE_END_TIMESTAMP",
        "POSIX_F_CLOSE_END_TIMESTAMP",
        "POSIX_F_READ_TIME",
        "POSIX_F_WRITE_TIME",
        "POSIX_F_META_TIME",
        "POSIX_F_MAX_READ_TIME",
        "POSIX_F_MAX_WRITE_TIME",
        "POSIX_F_FASTEST_RANK_TIME",
        "POSIX_F_SLOWEST_RANK_TIME",
        "POSIX_F_VARIANCE_RANK_TIME",
        "POSIX_F_VARIANCE_RANK_BYTES",
    ];
    /// Index of `POSIX_OPENS` in `COUNTERS`.
    pub const OPENS: usize = 0;
    /// Index of `POSIX_FILENOS` in `COUNTERS`.
    pub const FILENOS: usize = 1;
    /// Index of `POSIX_DUPS` in `COUNTERS`.
    pub const DUPS: usize = 2;
    /// Index of `POSIX_READS` in `COUNTERS`.
    pub const READS: usize = 3;
    /// Index of `POSIX_WRITES` in `COUNTERS`.
    pub const WRITES: usize = 4;
    /// Index of `POSIX_SEEKS` in `COUNTERS`.
    pub const SEEKS: usize = 5;
    /// Index of `POSIX_STATS` in `COUNTERS`.
    pub const STATS: usize = 6;
    /// Index of `POSIX_MMAPS` in `COUNTERS`.
    pub const MMAPS: usize = 7;
    /// Index of `POSIX_FSYNCS` in `COUNTERS`.
    pub const FSYNCS: usize = 8;
    /// Index of `POSIX_FDSYNCS` in `COUNTERS`.
    pub const FDSYNCS: usize = 9;
    /// Index of `POSIX_RENAME_SOURCES` in `COUNTERS`.
    pub const RENAME_SOURCES: usize = 10;
    /// Index of `POSIX_RENAME_TARGETS` in `COUNTERS`.
    pub const RENAME_TARGETS: usize = 11;
    /// Index of `POSIX_RENAMED_FROM` in `COUNTERS`.
    pub const RENAMED_FROM: usize = 12;
    /// Index of `POSIX_MODE` in `COUNTERS`.
    pub const MODE: usize = 13;
    /// Index of `POSIX_BYTES_READ` in `COUNTERS`.
    pub const BYTES_READ: usize = 14;
    /// Index of `POSIX_BYTES_WRITTEN` in `COUNTERS`.
    pub const BYTES_WRITTEN: usize = 15;
    /// Index of `POSIX_MAX_BYTE_READ` in `COUNTERS`.
    pub const MAX_BYTE_READ: usize = 16;
    /// Index of `POSIX_MAX_BYTE_WRITTEN` in `COUNTERS`.
    pub const MAX_BYTE_WRITTEN: usize = 17;
    /// Index of `POSIX_CONSEC_READS` in `COUNTERS`.
    pub const CONSEC_READS: usize = 18;
    /// Index of `POSIX_CONSEC_WRITES` in `COUNTERS`.
    pub const CONSEC_WRITES: usize = 19;
    /// Index of `POSIX_SEQ_READS` in `COUNTERS`.
    pub const SEQ_READS: usize = 20;
    /// Index of `POSIX_SEQ_WRITES` in `COUNTERS`.
    pub const SEQ_WRITES: usize = 21;
    /// Index of `POSIX_RW_SWITCHES` in `COUNTERS`.
    pub const RW_SWITCHES: usize = 22;
    /// Index of `POSIX_MEM_NOT_ALIGNED` in `COUNTERS`.
    pub const MEM_NOT_ALIGNED: usize = 23;
    /// Index of `POSIX_MEM_ALIGNMENT` in `COUNTERS`.
    pub const MEM_ALIGNMENT: usize = 24;
    /// Index of `POSIX_FILE_NOT_ALIGNED` in `COUNTERS`.
    pub const FILE_NOT_ALIGNED: usize = 25;
    /// Index of `POSIX_FILE_ALIGNMENT` in `COUNTERS`.
    pub const FILE_ALIGNMENT: usize = 26;
    /// Index of `POSIX_MAX_READ_TIME_SIZE` in `COUNTERS`.
    pub const MAX_READ_TIME_SIZE: usize = 27;
    /// Index of `POSIX_MAX_WRITE_TIME_SIZE` in `COUNTERS`.
    pub const MAX_WRITE_TIME_SIZE: usize = 28;
    /// Index of `POSIX_SIZE_READ_0_100` in `COUNTERS`.
    pub const SIZE_READ_0_100: usize = 29;
    /// Index of `POSIX_SIZE_READ_100_1K` in `COUNTERS`.
    pub const SIZE_READ_100_1K: usize = 30;
    /// Index of `POSIX_SIZE_READ_1K_10K` in `COUNTERS`.
    pub const SIZE_READ_1K_10K: usize = 31;
    /// Index of `POSIX_SIZE_READ_10K_100K` in `COUNTERS`.
    pub const SIZE_READ_10K_100K: usize = 32;
    /// Index of `POSIX_SIZE_READ_100K_1M` in `COUNTERS`.
    pub const SIZE_READ_100K_1M: usize = 33;
    /// Index of `POSIX_SIZE_READ_1M_4M` in `COUNTERS`.
    pub const SIZE_READ_1M_4M: usize = 34;
    /// Index of `POSIX_SIZE_READ_4M_10M` in `COUNTERS`.
    pub const SIZE_READ_4M_10M: usize = 35;
    /// Index of `POSIX_SIZE_READ_10M_100M` in `COUNTERS`.
    pub const SIZE_READ_10M_100M: usize = 36;
    /// Index of `POSIX_SIZE_READ_100M_1G` in `COUNTERS`.
    pub const SIZE_READ_100M_1G: usize = 37;
    /// Index of `POSIX_SIZE_READ_1G_PLUS` in `COUNTERS`.
    pub const SIZE_READ_1G_PLUS: usize = 38;
    /// Index of `POSIX_SIZE_WRITE_0_100` in `COUNTERS`.
    pub const SIZE_WRITE_0_100: usize = 39;
    /// Index of `POSIX_SIZE_WRITE_100_1K` in `COUNTERS`.
    pub const SIZE_WRITE_100_1K: usize = 40;
    /// Index of `POSIX_SIZE_WRITE_1K_10K` in `COUNTERS`.
    pub const SIZE_WRITE_1K_10K: usize = 41;
    /// Index of `POSIX_SIZE_WRITE_10K_100K` in `COUNTERS`.
    pub const SIZE_WRITE_10K_100K: usize = 42;
    /// Index of `POSIX_SIZE_WRITE_100K_1M` in `COUNTERS`.
    pub const SIZE_WRITE_100K_1M: usize = 43;
    /// Index of `POSIX_SIZE_WRITE_1M_4M` in `COUNTERS`.
    pub const SIZE_WRITE_1M_4M: usize = 44;
    /// Index of `POSIX_SIZE_WRITE_4M_10M` in `COUNTERS`.
    pub const SIZE_WRITE_4M_10M: usize = 45;
    /// Index of `POSIX_SIZE_WRITE_10M_100M` in `COUNTERS`.
    pub const SIZE_WRITE_10M_100M: usize = 46;
    /// Index of `POSIX_SIZE_WRITE_100M_1G` in `COUNTERS`.
    pub const SIZE_WRITE_100M_1G: usize = 47;
    /// Index of `POSIX_SIZE_WRITE_1G_PLUS` in `COUNTERS`.
    pub const SIZE_WRITE_1G_PLUS: usize = 48;
    /// Index of `POSIX_STRIDE1_STRIDE` in `COUNTERS`.
    pub const STRIDE1_STRIDE: usize = 49;
    /// Index of `POSIX_STRIDE2_STRIDE` in `COUNTERS`.
    pub const STRIDE2_STRIDE: usize = 50;
    /// Index of `POSIX_STRIDE3_STRIDE` in `COUNTERS`.
    pub const STRIDE3_STRIDE: usize = 51;
    /// Index of `POSIX_STRIDE4_STRIDE` in `COUNTERS`.
    pub const STRIDE4_STRIDE: usize = 52;
    /// Index of `POSIX_STRIDE1_COUNT` in `COUNTERS`.
    pub const STRIDE1_COUNT: usize = 53;
    /// Index of `POSIX_STRIDE2_COUNT` in `COUNTERS`.
    pub const STRIDE2_COUNT: usize = 54;
    /// Index of `POSIX_STRIDE3_COUNT` in `COUNTERS`.
    pub const STRIDE3_COUNT: usize = 55;
    /// Index of `POSIX_STRIDE4_COUNT` in `COUNTERS`.
    pub const STRIDE4_COUNT: usize = 56;
    /// Index of `POSIX_ACCESS1_ACCESS` in `COUNTERS`.
    pub const ACCESS1_ACCESS: usize = 57;
    /// Index of `POSIX_ACCESS2_ACCESS` in `COUNTERS`.
    pub const ACCESS2_ACCESS: usize = 58;
    /// Index of `POSIX_ACCESS3_ACCESS` in `COUNTERS`.
    pub const ACCESS3_ACCESS: usize = 59;
    /// Index of `POSIX_ACCESS4_ACCESS` in `COUNTERS`.
    pub const ACCESS4_ACCESS: usize = 60;
    /// Index of `POSIX_ACCESS1_COUNT` in `COUNTERS`.
    pub const ACCESS1_COUNT: usize = 61;
    /// Index of `POSIX_ACCESS2_COUNT` in `COUNTERS`.
    pub const ACCESS2_COUNT: usize = 62;
    /// Index of `POSIX_ACCESS3_COUNT` in `COUNTERS`.
    pub const ACCESS3_COUNT: usize = 63;
    /// Index of `POSIX_ACCESS4_COUNT` in `COUNTERS`.
    pub const ACCESS4_COUNT: usize = 64;
    /// Index of `POSIX_FASTEST_RANK` in `COUNTERS`.
    pub const FASTEST_RANK: usize = 65;
    /// Index of `POSIX_FASTEST_RANK_BYTES` in `COUNTERS`.
    pub const FASTEST_RANK_BYTES: usize = 66;
    /// Index of `POSIX_SLOWEST_RANK` in `COUNTERS`.
    pub const SLOWEST_RANK: usize = 67;
    /// Index of `POSIX_SLOWEST_RANK_BYTES` in `COUNTERS`.
    pub const SLOWEST_RANK_BYTES: usize = 68;
    /// Index of `POSIX_F_OPEN_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_OPEN_START_TIMESTAMP: usize = 0;
    /// Index of `POSIX_F_READ_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_READ_START_TIMESTAMP: usize = 1;
    /// Index of `POSIX_F_WRITE_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_WRITE_START_TIMESTAMP: usize = 2;
    /// Index of `POSIX_F_CLOSE_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_CLOSE_START_TIMESTAMP: usize = 3;
    /// Index of `POSIX_F_OPEN_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_OPEN_END_TIMESTAMP: usize = 4;
    /// Index of `POSIX_F_READ_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_READ_END_TIMESTAMP: usize = 5;
    /// Index of `POSIX_F_WRITE_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_WRITE_END_TIMESTAMP: usize = 6;
    /// Index of `POSIX_F_CLOSE_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_CLOSE_END_TIMESTAMP: usize = 7;
    /// Index of `POSIX_F_READ_TIME` in `F_COUNTERS`.
    pub const F_READ_TIME: usize = 8;
    /// Index of `POSIX_F_WRITE_TIME` in `F_COUNTERS`.
    pub const F_WRITE_TIME: usize = 9;
    /// Index of `POSIX_F_META_TIME` in `F_COUNTERS`.
    pub const F_META_TIME: usize = 10;
    /// Index of `POSIX_F_MAX_READ_TIME` in `F_COUNTERS`.
    pub const F_MAX_READ_TIME: usize = 11;
    /// Index of `POSIX_F_MAX_WRITE_TIME` in `F_COUNTERS`.
    pub const F_MAX_WRITE_TIME: usize = 12;
    /// Index of `POSIX_F_FASTEST_RANK_TIME` in `F_COUNTERS`.
    pub const F_FASTEST_RANK_TIME: usize = 13;
    /// Index of `POSIX_F_SLOWEST_RANK_TIME` in `F_COUNTERS`.
    pub const F_SLOWEST_RANK_TIME: usize = 14;
    /// Index of `POSIX_F_VARIANCE_RANK_TIME` in `F_COUNTERS`.
    pub const F_VARIANCE_RANK_TIME: usize = 15;
    /// Index of `POSIX_F_VARIANCE_RANK_BYTES` in `F_COUNTERS`.
    pub const F_VARIANCE_RANK_BYTES: usize = 16;
}

/// MPI-IO.
pub mod mpiio {
    /// Integer counters, in record order.
    pub const COUNTERS: [&str; 51] = [
        "MPIIO_INDEP_OPENS",
        "MPIIO_COLL_OPENS",
        "MPIIO_INDEP_READS",
        "MPIIO_INDEP_WRITES",
        "MPIIO_COLL_READS",
        "MPIIO_COLL_WRITES",
        "MPIIO_SPLIT_READS",
        "MPIIO_SPLIT_WRITES",
        "MPIIO_NB_READS",
        "MPIIO_NB_WRITES",
        "MPIIO_SYNCS",
        "MPIIO_HINTS",
        "MPIIO_VIEWS",
        "MPIIO_MODE",
        "MPIIO_BYTES_READ",
        "MPIIO_BYTES_WRITTEN",
        "MPIIO_RW_SWITCHES",
        "MPIIO_MAX_READ_TIME_SIZE",
        "MPIIO_MAX_WRITE_TIME_SIZE",
        "MPIIO_SIZE_READ_AGG_0_100",
        "MPIIO_SIZE_READ_AGG_100_1K",
        "MPIIO_SIZE_READ_AGG_1K_10K",
        "MPIIO_SIZE_READ_AGG_10K_100K",
        "MPIIO_SIZE_READ_AGG_100K_1M",
        "MPIIO_SIZE_READ_AGG_1M_4M",
        "MPIIO_SIZE_READ_AGG_4M_10M",
        "MPIIO_SIZE_READ_AGG_10M_100M",
        "MPIIO_SIZE_READ_AGG_100M_1G",
        "MPIIO_SIZE_READ_AGG_1G_PLUS",
        "MPIIO_SIZE_WRITE_AGG_0_100",
        "MPIIO_SIZE_WRITE_AGG_100_1K",
        "MPIIO_SIZE_WRITE_AGG_1K_10K",
        "MPIIO_SIZE_WRITE_AGG_10K_100K",
        "MPIIO_SIZE_WRITE_AGG_100K_1M",
        "MPIIO_SIZE_WRITE_AGG_1M_4M",
        "MPIIO_SIZE_WRITE_AGG_4M_10M",
        "MPIIO_SIZE_WRITE_AGG_10M_100M",
        "MPIIO_SIZE_WRITE_AGG_100M_1G",
        "MPIIO_SIZE_WRITE_AGG_1G_PLUS",
        "MPIIO_ACCESS1_ACCESS",
        "MPIIO_ACCESS2_ACCESS",
        "MPIIO_ACCESS3_ACCESS",
        "MPIIO_ACCESS4_ACCESS",
        "MPIIO_ACCESS1_COUNT",
        "MPIIO_ACCESS2_COUNT",
        "MPIIO_ACCESS3_COUNT",
        "MPIIO_ACCESS4_COUNT",
        "MPIIO_FASTEST_RANK",
        "MPIIO_FASTEST_RANK_BYTES",
        "MPIIO_SLOWEST_RANK",
        "MPIIO_SLOWEST_RANK_BYTES",
    ];
    /// Floating-point counters, in record order.
    pub const F_COUNTERS: [&str; 17] = [
        "MPIIO_F_OPEN_START_TIMESTAMP",
        "MPIIO_F_READ_START_TIMESTAMP",
        "MPIIO_F_WRITE_START_TIMESTAMP",
        "MPIIO_F_CLOSE_START_TIMESTAMP",
        "MPIIO_F_OPEN_END_TIMESTAMP",
        "MPIIO_F_READ_END_TIMESTAMP",
        "MPIIO_F_WRITE_END_TIMESTAMP",
        "MPIIO_F_CLOSE_END_TIMESTAMP",
        "MPIIO_F_READ_TIME",
        "MPIIO_F_WRITE_TIME",
        "MPIIO_F_META_TIME",
        "MPIIO_F_MAX_READ_TIME",
        "MPIIO_F_MAX_WRITE_TIME",
        "MPIIO_F_FASTEST_RANK_TIME",
        "MPIIO_F_SLOWEST_RANK_TIME",
        "MPIIO_F_VARIANCE_RANK_TIME",
        "MPIIO_F_VARIANCE_RANK_BYTES",
    ];
    /// Index of `MPIIO_INDEP_OPENS` in `COUNTERS`.
    pub const INDEP_OPENS: usize = 0;
    /// Index of `MPIIO_COLL_OPENS` in `COUNTERS`.
    pub const COLL_OPENS: usize = 1;
    /// Index of `MPIIO_INDEP_READS` in `COUNTERS`.
    pub const INDEP_READS: usize = 2;
    /// Index of `MPIIO_INDEP_WRITES` in `COUNTERS`.
    pub const INDEP_WRITES: usize = 3;
    /// Index of `MPIIO_COLL_READS` in `COUNTERS`.
    pub const COLL_READS: usize = 4;
    /// Index of `MPIIO_COLL_WRITES` in `COUNTERS`.
    pub const COLL_WRITES: usize = 5;
    /// Index of `MPIIO_SPLIT_READS` in `COUNTERS`.
    pub const SPLIT_READS: usize = 6;
    /// Index of `MPIIO_SPLIT_WRITES` in `COUNTERS`.
    pub const SPLIT_WRITES: usize = 7;
    /// Index of `MPIIO_NB_READS` in `COUNTERS`.
    pub const NB_READS: usize = 8;
    /// Index of `MPIIO_NB_WRITES` in `COUNTERS`.
    pub const NB_WRITES: usize = 9;
    /// Index of `MPIIO_SYNCS` in `COUNTERS`.
    pub const SYNCS: usize = 10;
    /// Index of `MPIIO_HINTS` in `COUNTERS`.
    pub const HINTS: usize = 11;
    /// Index of `MPIIO_VIEWS` in `COUNTERS`.
    pub const VIEWS: usize = 12;
    /// Index of `MPIIO_MODE` in `COUNTERS`.
    pub const MODE: usize = 13;
    /// Index of `MPIIO_BYTES_READ` in `COUNTERS`.
    pub const BYTES_READ: usize = 14;
    /// Index of `MPIIO_BYTES_WRITTEN` in `COUNTERS`.
    pub const BYTES_WRITTEN: usize = 15;
    /// Index of `MPIIO_RW_SWITCHES` in `COUNTERS`.
    pub const RW_SWITCHES: usize = 16;
    /// Index of `MPIIO_MAX_READ_TIME_SIZE` in `COUNTERS`.
    pub const MAX_READ_TIME_SIZE: usize = 17;
    /// Index of `MPIIO_MAX_WRITE_TIME_SIZE` in `COUNTERS`.
    pub const MAX_WRITE_TIME_SIZE: usize = 18;
    /// Index of `MPIIO_SIZE_READ_AGG_0_100` in `COUNTERS`.
    pub const SIZE_READ_AGG_0_100: usize = 19;
    /// Index of `MPIIO_SIZE_READ_AGG_100_1K` in `COUNTERS`.
    pub const SIZE_READ_AGG_100_1K: usize = 20;
    /// Index of `MPIIO_SIZE_READ_AGG_1K_10K` in `COUNTERS`.
    pub const SIZE_READ_AGG_1K_10K: usize = 21;
    /// Index of `MPIIO_SIZE_READ_AGG_10K_100K` in `COUNTERS`.
    pub const SIZE_READ_AGG_10K_100K: usize = 22;
    /// Index of `MPIIO_SIZE_READ_AGG_100K_1M` in `COUNTERS`.
    pub const SIZE_READ_AGG_100K_1M: usize = 23;
    /// Index of `MPIIO_SIZE_READ_AGG_1M_4M` in `COUNTERS`.
    pub const SIZE_READ_AGG_1M_4M: usize = 24;
    /// Index of `MPIIO_SIZE_READ_AGG_4M_10M` in `COUNTERS`.
    pub const SIZE_READ_AGG_4M_10M: usize = 25;
    /// Index of `MPIIO_SIZE_READ_AGG_10M_100M` in `COUNTERS`.
    pub const SIZE_READ_AGG_10M_100M: usize = 26;
    /// Index of `MPIIO_SIZE_READ_AGG_100M_1G` in `COUNTERS`.
    pub const SIZE_READ_AGG_100M_1G: usize = 27;
    /// Index of `MPIIO_SIZE_READ_AGG_1G_PLUS` in `COUNTERS`.
    pub const SIZE_READ_AGG_1G_PLUS: usize = 28;
    /// Index of `MPIIO_SIZE_WRITE_AGG_0_100` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_0_100: usize = 29;
    /// Index of `MPIIO_SIZE_WRITE_AGG_100_1K` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_100_1K: usize = 30;
    /// Index of `MPIIO_SIZE_WRITE_AGG_1K_10K` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_1K_10K: usize = 31;
    /// Index of `MPIIO_SIZE_WRITE_AGG_10K_100K` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_10K_100K: usize = 32;
    /// Index of `MPIIO_SIZE_WRITE_AGG_100K_1M` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_100K_1M: usize = 33;
    /// Index of `MPIIO_SIZE_WRITE_AGG_1M_4M` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_1M_4M: usize = 34;
    /// Index of `MPIIO_SIZE_WRITE_AGG_4M_10M` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_4M_10M: usize = 35;
    /// Index of `MPIIO_SIZE_WRITE_AGG_10M_100M` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_10M_100M: usize = 36;
    /// Index of `MPIIO_SIZE_WRITE_AGG_100M_1G` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_100M_1G: usize = 37;
    /// Index of `MPIIO_SIZE_WRITE_AGG_1G_PLUS` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_1G_PLUS: usize = 38;
    /// Index of `MPIIO_ACCESS1_ACCESS` in `COUNTERS`.
    pub const ACCESS1_ACCESS: usize = 39;
    /// Index of `MPIIO_ACCESS2_ACCESS` in `COUNTERS`.
    pub const ACCESS2_ACCESS: usize = 40;
    /// Index of `MPIIO_ACCESS3_ACCESS` in `COUNTERS`.
    pub const ACCESS3_ACCESS: usize = 41;
    /// Index of `MPIIO_ACCESS4_ACCESS` in `COUNTERS`.
    pub const ACCESS4_ACCESS: usize = 42;
    /// Index of `MPIIO_ACCESS1_COUNT` in `COUNTERS`.
    pub const ACCESS1_COUNT: usize = 43;
    /// Index of `MPIIO_ACCESS2_COUNT` in `COUNTERS`.
    pub const ACCESS2_COUNT: usize = 44;
    /// Index of `MPIIO_ACCESS3_COUNT` in `COUNTERS`.
    pub const ACCESS3_COUNT: usize = 45;
    /// Index of `MPIIO_ACCESS4_COUNT` in `COUNTERS`.
    pub const ACCESS4_COUNT: usize = 46;
    /// Index of `MPIIO_FASTEST_RANK` in `COUNTERS`.
    pub const FASTEST_RANK: usize = 47;
    /// Index of `MPIIO_FASTEST_RANK_BYTES` in `COUNTERS`.
    pub const FASTEST_RANK_BYTES: usize = 48;
    /// Index of `MPIIO_SLOWEST_RANK` in `COUNTERS`.
    pub const SLOWEST_RANK: usize = 49;
    /// Index of `MPIIO_SLOWEST_RANK_BYTES` in `COUNTERS`.
    pub const SLOWEST_RANK_BYTES: usize = 50;
    /// Index of `MPIIO_F_OPEN_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_OPEN_START_TIMESTAMP: usize = 0;
    /// Index of `MPIIO_F_READ_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_READ_START_TIMESTAMP: usize = 1;
    /// Index of `MPIIO_F_WRITE_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_WRITE_START_TIMESTAMP: usize = 2;
    /// Index of `MPIIO_F_CLOSE_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_CLOSE_START_TIMESTAMP: usize = 3;
    /// Index of `MPIIO_F_OPEN_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_OPEN_END_TIMESTAMP: usize = 4;
    /// Index of `MPIIO_F_READ_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_READ_END_TIMESTAMP: usize = 5;
    /// Index of `MPIIO_F_WRITE_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_WRITE_END_TIMESTAMP: usize = 6;
    /// Index of `MPIIO_F_CLOSE_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_CLOSE_END_TIMESTAMP: usize = 7;
    /// Index of `MPIIO_F_READ_TIME` in `F_COUNTERS`.
    pub const F_READ_TIME: usize = 8;
    /// Index of `MPIIO_F_WRITE_TIME` in `F_COUNTERS`.
    pub const F_WRITE_TIME: usize = 9;
    /// Index of `MPIIO_F_META_TIME` in `F_COUNTERS`.
    pub const F_META_TIME: usize = 10;
    /// Index of `MPIIO_F_MAX_READ_TIME` in `F_COUNTERS`.
    pub const F_MAX_READ_TIME: usize = 11;
    /// Index of `MPIIO_F_MAX_WRITE_TIME` in `F_COUNTERS`.
    pub const F_MAX_WRITE_TIME: usize = 12;
    /// Index of `MPIIO_F_FASTEST_RANK_TIME` in `F_COUNTERS`.
    pub const F_FASTEST_RANK_TIME: usize = 13;
    /// Index of `MPIIO_F_SLOWEST_RANK_TIME` in `F_COUNTERS`.
    pub const F_SLOWEST_RANK_TIME: usize = 14;
    /// Index of `MPIIO_F_VARIANCE_RANK_TIME` in `F_COUNTERS`.
    pub const F_VARIANCE_RANK_TIME: usize = 15;
    /// Index of `MPIIO_F_VARIANCE_RANK_BYTES` in `F_COUNTERS`.
    pub const F_VARIANCE_RANK_BYTES: usize = 16;
}

/// STDIO.
pub mod stdio {
    /// Integer counters, in record order.
    pub const COUNTERS: [&str; 14] = [
        "STDIO_OPENS",
        "STDIO_FDOPENS",
        "STDIO_READS",
        "STDIO_WRITES",
        "STDIO_SEEKS",
        "STDIO_FLUSHES",
        "STDIO_BYTES_WRITTEN",
        "STDIO_BYTES_READ",
        "STDIO_MAX_BYTE_READ",
        "STDIO_MAX_BYTE_WRITTEN",
        "STDIO_FASTEST_RANK",
        "STDIO_FASTEST_RANK_BYTES",
        "STDIO_SLOWEST_RANK",
        "STDIO_SLOWEST_RANK_BYTES",
    ];
    /// Floating-point counters, in record order.
    pub const F_COUNTERS: [&str; 15] = [
        "STDIO_F_META_TIME",
        "STDIO_F_WRITE_TIME",
        "STDIO_F_READ_TIME",
        "STDIO_F_OPEN_START_TIMESTAMP",
        "STDIO_F_CLOSE_START_TIMESTAMP",
        "STDIO_F_WRITE_START_TIMESTAMP",
        "STDIO_F_READ_START_TIMESTAMP",
        "STDIO_F_OPEN_END_TIMESTAMP",
        "STDIO_F_CLOSE_END_TIMESTAMP",
        "STDIO_F_WRITE_END_TIMESTAMP",
        "STDIO_F_READ_END_TIMESTAMP",
        "STDIO_F_FASTEST_RANK_TIME",
        "STDIO_F_SLOWEST_RANK_TIME",
        "STDIO_F_VARIANCE_RANK_TIME",
        "STDIO_F_VARIANCE_RANK_BYTES",
    ];
    /// Index of `STDIO_OPENS` in `COUNTERS`.
    pub const OPENS: usize = 0;
    /// Index of `STDIO_FDOPENS` in `COUNTERS`.
    pub const FDOPENS: usize = 1;
    /// Index of `STDIO_READS` in `COUNTERS`.
    pub const READS: usize = 2;
    /// Index of `STDIO_WRITES` in `COUNTERS`.
    pub const WRITES: usize = 3;
    /// Index of `STDIO_SEEKS` in `COUNTERS`.
    pub const SEEKS: usize = 4;
    /// Index of `STDIO_FLUSHES` in `COUNTERS`.
    pub const FLUSHES: usize = 5;
    /// Index of `STDIO_BYTES_WRITTEN` in `COUNTERS`.
    pub const BYTES_WRITTEN: usize = 6;
    /// Index of `STDIO_BYTES_READ` in `COUNTERS`.
    pub const BYTES_READ: usize = 7;
    /// Index of `STDIO_MAX_BYTE_READ` in `COUNTERS`.
    pub const MAX_BYTE_READ: usize = 8;
    /// Index of `STDIO_MAX_BYTE_WRITTEN` in `COUNTERS`.
    pub const MAX_BYTE_WRITTEN: usize = 9;
    /// Index of `STDIO_FASTEST_RANK` in `COUNTERS`.
    pub const FASTEST_RANK: usize = 10;
    /// Index of `STDIO_FASTEST_RANK_BYTES` in `COUNTERS`.
    pub const FASTEST_RANK_BYTES: usize = 11;
    /// Index of `STDIO_SLOWEST_RANK` in `COUNTERS`.
    pub const SLOWEST_RANK: usize = 12;
    /// Index of `STDIO_SLOWEST_RANK_BYTES` in `COUNTERS`.
    pub const SLOWEST_RANK_BYTES: usize = 13;
    /// Index of `STDIO_F_META_TIME` in `F_COUNTERS`.
    pub const F_META_TIME: usize = 0;
    /// Index of `STDIO_F_WRITE_TIME` in `F_COUNTERS`.
    pub const F_WRITE_TIME: usize = 1;
    /// Index of `STDIO_F_READ_TIME` in `F_COUNTERS`.
    pub const F_READ_TIME: usize = 2;
    /// Index of `STDIO_F_OPEN_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_OPEN_START_TIMESTAMP: usize = 3;
    /// Index of `STDIO_F_CLOSE_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_CLOSE_START_TIMESTAMP: usize = 4;
    /// Index of `STDIO_F_WRITE_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_WRITE_START_TIMESTAMP: usize = 5;
    /// Index of `STDIO_F_READ_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_READ_START_TIMESTAMP: usize = 6;
    /// Index of `STDIO_F_OPEN_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_OPEN_END_TIMESTAMP: usize = 7;
    /// Index of `STDIO_F_CLOSE_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_CLOSE_END_TIMESTAMP: usize = 8;
    /// Index of `STDIO_F_WRITE_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_WRITE_END_TIMESTAMP: usize = 9;
    /// Index of `STDIO_F_READ_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_READ_END_TIMESTAMP: usize = 10;
    /// Index of `STDIO_F_FASTEST_RANK_TIME` in `F_COUNTERS`.
    pub const F_FASTEST_RANK_TIME: usize = 11;
    /// Index of `STDIO_F_SLOWEST_RANK_TIME` in `F_COUNTERS`.
    pub const F_SLOWEST_RANK_TIME: usize = 12;
    /// Index of `STDIO_F_VARIANCE_RANK_TIME` in `F_COUNTERS`.
    pub const F_VARIANCE_RANK_TIME: usize = 13;
    /// Index of `STDIO_F_VARIANCE_RANK_BYTES` in `F_COUNTERS`.
    pub const F_VARIANCE_RANK_BYTES: usize = 14;
}

/// H5F.
pub mod h5f {
    /// Integer counters, in record order.
    pub const COUNTERS: [&str; 3] = ["H5F_OPENS", "H5F_FLUSHES", "H5F_USE_MPIIO"];
    /// Floating-point counters, in record order.
    pub const F_COUNTERS: [&str; 5] = [
        "H5F_F_OPEN_START_TIMESTAMP",
        "H5F_F_CLOSE_START_TIMESTAMP",
        "H5F_F_OPEN_END_TIMESTAMP",
        "H5F_F_CLOSE_END_TIMESTAMP",
        "H5F_F_META_TIME",
    ];
    /// Index of `H5F_OPENS` in `COUNTERS`.
    pub const OPENS: usize = 0;
    /// Index of `H5F_FLUSHES` in `COUNTERS`.
    pub const FLUSHES: usize = 1;
    /// Index of `H5F_USE_MPIIO` in `COUNTERS`.
    pub const USE_MPIIO: usize = 2;
    /// Index of `H5F_F_OPEN_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_OPEN_START_TIMESTAMP: usize = 0;
    /// Index of `H5F_F_CLOSE_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_CLOSE_START_TIMESTAMP: usize = 1;
    /// Index of `H5F_F_OPEN_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_OPEN_END_TIMESTAMP: usize = 2;
    /// Index of `H5F_F_CLOSE_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_CLOSE_END_TIMESTAMP: usize = 3;
    /// Index of `H5F_F_META_TIME` in `F_COUNTERS`.
    pub const F_META_TIME: usize = 4;
}

/// H5D.
pub mod h5d {
    /// Integer counters, in record order.
    pub const COUNTERS: [&str; 94] = [
        "H5D_OPENS",
        "H5D_READS",
        "H5D_WRITES",
        "H5D_FLUSHES",
        "H5D_BYTES_READ",
        "H5D_BYTES_WRITTEN",
        "H5D_RW_SWITCHES",
        "H5D_REGULAR_HYPERSLAB_SELECTS",
        "H5D_IRREGULAR_HYPERSLAB_SELECTS",
        "H5D_POINT_SELECTS",
        "H5D_MAX_READ_TIME_SIZE",
        "H5D_MAX_WRITE_TIME_SIZE",
        "H5D_SIZE_READ_AGG_0_100",
        "H5D_SIZE_READ_AGG_100_1K",
        "H5D_SIZE_READ_AGG_1K_10K",
        "H5D_SIZE_READ_AGG_10K_100K",
        "H5D_SIZE_READ_AGG_100K_1M",
        "H5D_SIZE_READ_AGG_1M_4M",
        "H5D_SIZE_READ_AGG_4M_10M",
        "H5D_SIZE_READ_AGG_10M_100M",
        "H5D_SIZE_READ_AGG_100M_1G",
        "H5D_SIZE_READ_AGG_1G_PLUS",
        "H5D_SIZE_WRITE_AGG_0_100",
        "H5D_SIZE_WRITE_AGG_100_1K",
        "H5D_SIZE_WRITE_AGG_1K_10K",
        "H5D_SIZE_WRITE_AGG_10K_100K",
        "H5D_SIZE_WRITE_AGG_100K_1M",
        "H5D_SIZE_WRITE_AGG_1M_4M",
        "H5D_SIZE_WRITE_AGG_4M_10M",
        "H5D_SIZE_WRITE_AGG_10M_100M",
        "H5D_SIZE_WRITE_AGG_100M_1G",
        "H5D_SIZE_WRITE_AGG_1G_PLUS",
        "H5D_ACCESS1_ACCESS",
        "H5D_ACCESS1_LENGTH_D1",
        "H5D_ACCESS1_LENGTH_D2",
        "H5D_ACCESS1_LENGTH_D3",
        "H5D_ACCESS1_LENGTH_D4",
        "H5D_ACCESS1_LENGTH_D5",
        "H5D_ACCESS1_STRIDE_D1",
        "H5D_ACCESS1_STRIDE_D2",
        "H5D_ACCESS1_STRIDE_D3",
        "H5D_ACCESS1_STRIDE_D4",
        "H5D_ACCESS1_STRIDE_D5",
        "H5D_ACCESS2_ACCESS",
        "H5D_ACCESS2_LENGTH_D1",
        "H5D_ACCESS2_LENGTH_D2",
        "H5D_ACCESS2_LENGTH_D3",
        "H5D_ACCESS2_LENGTH_D4",
        "H5D_ACCESS2_LENGTH_D5",
        "H5D_ACCESS2_STRIDE_D1",
        "H5D_ACCESS2_STRIDE_D2",
        "H5D_ACCESS2_STRIDE_D3",
        "H5D_ACCESS2_STRIDE_D4",
        "H5D_ACCESS2_STRIDE_D5",
        "H5D_ACCESS3_ACCESS",
        "H5D_ACCESS3_LENGTH_D1",
        "H5D_ACCESS3_LENGTH_D2",
        "H5D_ACCESS3_LENGTH_D3",
        "H5D_ACCESS3_LENGTH_D4",
        "H5D_ACCESS3_LENGTH_D5",
        "H5D_ACCESS3_STRIDE_D1",
        "H5D_ACCESS3_STRIDE_D2",
        "H5D_ACCESS3_STRIDE_D3",
        "H5D_ACCESS3_STRIDE_D4",
        "H5D_ACCESS3_STRIDE_D5",
        "H5D_ACCESS4_ACCESS",
        "H5D_ACCESS4_LENGTH_D1",
        "H5D_ACCESS4_LENGTH_D2",
        "H5D_ACCESS4_LENGTH_D3",
        "H5D_ACCESS4_LENGTH_D4",
        "H5D_ACCESS4_LENGTH_D5",
        "H5D_ACCESS4_STRIDE_D1",
        "H5D_ACCESS4_STRIDE_D2",
        "H5D_ACCESS4_STRIDE_D3",
        "H5D_ACCESS4_STRIDE_D4",
        "H5D_ACCESS4_STRIDE_D5",
        "H5D_ACCESS1_COUNT",
        "H5D_ACCESS2_COUNT",
        "H5D_ACCESS3_COUNT",
        "H5D_ACCESS4_COUNT",
        "H5D_DATASPACE_NDIMS",
        "H5D_DATASPACE_NPOINTS",
        "H5D_DATATYPE_SIZE",
        "H5D_CHUNK_SIZE_D1",
        "H5D_CHUNK_SIZE_D2",
        "H5D_CHUNK_SIZE_D3",
        "H5D_CHUNK_SIZE_D4",
        "H5D_CHUNK_SIZE_D5",
        "H5D_USE_MPIIO_COLLECTIVE",
        "H5D_USE_DEPRECATED",
        "H5D_FASTEST_RANK",
        "H5D_FASTEST_RANK_BYTES",
        "H5D_SLOWEST_RANK",
        "H5D_SLOWEST_RANK_BYTES",
    ];
    /// Floating-point counters, in record order.
    pub const F_COUNTERS: [&str; 17] = [
        "H5D_F_OPEN_START_TIMESTAMP",
        "H5D_F_READ_START_TIMESTAMP",
        "H5D_F_WRITE_START_TIMESTAMP",
        "H5D_F_CLOSE_START_TIMESTAMP",
        "H5D_F_OPEN_END_TIMESTAMP",
        "H5D_F_READ_END_TIMESTAMP",
        "H5D_F_WRITE_END_TIMESTAMP",
        "H5D_F_CLOSE_END_TIMESTAMP",
        "H5D_F_READ_TIME",
        "H5D_F_WRITE_TIME",
        "H5D_F_META_TIME",
        "H5D_F_MAX_READ_TIME",
        "H5D_F_MAX_WRITE_TIME",
        "H5D_F_FASTEST_RANK_TIME",
        "H5D_F_SLOWEST_RANK_TIME",
        "H5D_F_VARIANCE_RANK_TIME",
        "H5D_F_VARIANCE_RANK_BYTES",
    ];
    /// Index of `H5D_OPENS` in `COUNTERS`.
    pub const OPENS: usize = 0;
    /// Index of `H5D_READS` in `COUNTERS`.
    pub const READS: usize = 1;
    /// Index of `H5D_WRITES` in `COUNTERS`.
    pub const WRITES: usize = 2;
    /// Index of `H5D_FLUSHES` in `COUNTERS`.
    pub const FLUSHES: usize = 3;
    /// Index of `H5D_BYTES_READ` in `COUNTERS`.
    pub const BYTES_READ: usize = 4;
    /// Index of `H5D_BYTES_WRITTEN` in `COUNTERS`.
    pub const BYTES_WRITTEN: usize = 5;
    /// Index of `H5D_RW_SWITCHES` in `COUNTERS`.
    pub const RW_SWITCHES: usize = 6;
    /// Index of `H5D_REGULAR_HYPERSLAB_SELECTS` in `COUNTERS`.
    pub const REGULAR_HYPERSLAB_SELECTS: usize = 7;
    /// Index of `H5D_IRREGULAR_HYPERSLAB_SELECTS` in `COUNTERS`.
    pub const IRREGULAR_HYPERSLAB_SELECTS: usize = 8;
    /// Index of `H5D_POINT_SELECTS` in `COUNTERS`.
    pub const POINT_SELECTS: usize = 9;
    /// Index of `H5D_MAX_READ_TIME_SIZE` in `COUNTERS`.
    pub const MAX_READ_TIME_SIZE: usize = 10;
    /// Index of `H5D_MAX_WRITE_TIME_SIZE` in `COUNTERS`.
    pub const MAX_WRITE_TIME_SIZE: usize = 11;
    /// Index of `H5D_SIZE_READ_AGG_0_100` in `COUNTERS`.
    pub const SIZE_READ_AGG_0_100: usize = 12;
    /// Index of `H5D_SIZE_READ_AGG_100_1K` in `COUNTERS`.
    pub const SIZE_READ_AGG_100_1K: usize = 13;
    /// Index of `H5D_SIZE_READ_AGG_1K_10K` in `COUNTERS`.
    pub const SIZE_READ_AGG_1K_10K: usize = 14;
    /// Index of `H5D_SIZE_READ_AGG_10K_100K` in `COUNTERS`.
    pub const SIZE_READ_AGG_10K_100K: usize = 15;
    /// Index of `H5D_SIZE_READ_AGG_100K_1M` in `COUNTERS`.
    pub const SIZE_READ_AGG_100K_1M: usize = 16;
    /// Index of `H5D_SIZE_READ_AGG_1M_4M` in `COUNTERS`.
    pub const SIZE_READ_AGG_1M_4M: usize = 17;
    /// Index of `H5D_SIZE_READ_AGG_4M_10M` in `COUNTERS`.
    pub const SIZE_READ_AGG_4M_10M: usize = 18;
    /// Index of `H5D_SIZE_READ_AGG_10M_100M` in `COUNTERS`.
    pub const SIZE_READ_AGG_10M_100M: usize = 19;
    /// Index of `H5D_SIZE_READ_AGG_100M_1G` in `COUNTERS`.
    pub const SIZE_READ_AGG_100M_1G: usize = 20;
    /// Index of `H5D_SIZE_READ_AGG_1G_PLUS` in `COUNTERS`.
    pub const SIZE_READ_AGG_1G_PLUS: usize = 21;
    /// Index of `H5D_SIZE_WRITE_AGG_0_100` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_0_100: usize = 22;
    /// Index of `H5D_SIZE_WRITE_AGG_100_1K` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_100_1K: usize = 23;
    /// Index of `H5D_SIZE_WRITE_AGG_1K_10K` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_1K_10K: usize = 24;
    /// Index of `H5D_SIZE_WRITE_AGG_10K_100K` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_10K_100K: usize = 25;
    /// Index of `H5D_SIZE_WRITE_AGG_100K_1M` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_100K_1M: usize = 26;
    /// Index of `H5D_SIZE_WRITE_AGG_1M_4M` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_1M_4M: usize = 27;
    /// Index of `H5D_SIZE_WRITE_AGG_4M_10M` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_4M_10M: usize = 28;
    /// Index of `H5D_SIZE_WRITE_AGG_10M_100M` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_10M_100M: usize = 29;
    /// Index of `H5D_SIZE_WRITE_AGG_100M_1G` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_100M_1G: usize = 30;
    /// Index of `H5D_SIZE_WRITE_AGG_1G_PLUS` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_1G_PLUS: usize = 31;
    /// Index of `H5D_ACCESS1_ACCESS` in `COUNTERS`.
    pub const ACCESS1_ACCESS: usize = 32;
    /// Index of `H5D_ACCESS1_LENGTH_D1` in `COUNTERS`.
    pub const ACCESS1_LENGTH_D1: usize = 33;
    /// Index of `H5D_ACCESS1_LENGTH_D2` in `COUNTERS`.
    pub const ACCESS1_LENGTH_D2: usize = 34;
    /// Index of `H5D_ACCESS1_LENGTH_D3` in `COUNTERS`.
    pub const ACCESS1_LENGTH_D3: usize = 35;
    /// Index of `H5D_ACCESS1_LENGTH_D4` in `COUNTERS`.
    pub const ACCESS1_LENGTH_D4: usize = 36;
    /// Index of `H5D_ACCESS1_LENGTH_D5` in `COUNTERS`.
    pub const ACCESS1_LENGTH_D5: usize = 37;
    /// Index of `H5D_ACCESS1_STRIDE_D1` in `COUNTERS`.
    pub const ACCESS1_STRIDE_D1: usize = 38;
    /// Index of `H5D_ACCESS1_STRIDE_D2` in `COUNTERS`.
    pub const ACCESS1_STRIDE_D2: usize = 39;
    /// Index of `H5D_ACCESS1_STRIDE_D3` in `COUNTERS`.
    pub const ACCESS1_STRIDE_D3: usize = 40;
    /// Index of `H5D_ACCESS1_STRIDE_D4` in `COUNTERS`.
    pub const ACCESS1_STRIDE_D4: usize = 41;
    /// Index of `H5D_ACCESS1_STRIDE_D5` in `COUNTERS`.
    pub const ACCESS1_STRIDE_D5: usize = 42;
    /// Index of `H5D_ACCESS2_ACCESS` in `COUNTERS`.
    pub const ACCESS2_ACCESS: usize = 43;
    /// Index of `H5D_ACCESS2_LENGTH_D1` in `COUNTERS`.
    pub const ACCESS2_LENGTH_D1: usize = 44;
    /// Index of `H5D_ACCESS2_LENGTH_D2` in `COUNTERS`.
    pub const ACCESS2_LENGTH_D2: usize = 45;
    /// Index of `H5D_ACCESS2_LENGTH_D3` in `COUNTERS`.
    pub const ACCESS2_LENGTH_D3: usize = 46;
    /// Index of `H5D_ACCESS2_LENGTH_D4` in `COUNTERS`.
    pub const ACCESS2_LENGTH_D4: usize = 47;
    /// Index of `H5D_ACCESS2_LENGTH_D5` in `COUNTERS`.
    pub const ACCESS2_LENGTH_D5: usize = 48;
    /// Index of `H5D_ACCESS2_STRIDE_D1` in `COUNTERS`.
    pub const ACCESS2_STRIDE_D1: usize = 49;
    /// Index of `H5D_ACCESS2_STRIDE_D2` in `COUNTERS`.
    pub const ACCESS2_STRIDE_D2: usize = 50;
    /// Index of `H5D_ACCESS2_STRIDE_D3` in `COUNTERS`.
    pub const ACCESS2_STRIDE_D3: usize = 51;
    /// Index of `H5D_ACCESS2_STRIDE_D4` in `COUNTERS`.
    pub const ACCESS2_STRIDE_D4: usize = 52;
    /// Index of `H5D_ACCESS2_STRIDE_D5` in `COUNTERS`.
    pub const ACCESS2_STRIDE_D5: usize = 53;
    /// Index of `H5D_ACCESS3_ACCESS` in `COUNTERS`.
    pub const ACCESS3_ACCESS: usize = 54;
    /// Index of `H5D_ACCESS3_LENGTH_D1` in `COUNTERS`.
    pub const ACCESS3_LENGTH_D1: usize = 55;
    /// Index of `H5D_ACCESS3_LENGTH_D2` in `COUNTERS`.
    pub const ACCESS3_LENGTH_D2: usize = 56;
    /// Index of `H5D_ACCESS3_LENGTH_D3` in `COUNTERS`.
    pub const ACCESS3_LENGTH_D3: usize = 57;
    /// Index of `H5D_ACCESS3_LENGTH_D4` in `COUNTERS`.
    pub const ACCESS3_LENGTH_D4: usize = 58;
    /// Index of `H5D_ACCESS3_LENGTH_D5` in `COUNTERS`.
    pub const ACCESS3_LENGTH_D5: usize = 59;
    /// Index of `H5D_ACCESS3_STRIDE_D1` in `COUNTERS`.
    pub const ACCESS3_STRIDE_D1: usize = 60;
    /// Index of `H5D_ACCESS3_STRIDE_D2` in `COUNTERS`.
    pub const ACCESS3_STRIDE_D2: usize = 61;
    /// Index of `H5D_ACCESS3_STRIDE_D3` in `COUNTERS`.
    pub const ACCESS3_STRIDE_D3: usize = 62;
    /// Index of `H5D_ACCESS3_STRIDE_D4` in `COUNTERS`.
    pub const ACCESS3_STRIDE_D4: usize = 63;
    /// Index of `H5D_ACCESS3_STRIDE_D5` in `COUNTERS`.
    pub const ACCESS3_STRIDE_D5: usize = 64;
    /// Index of `H5D_ACCESS4_ACCESS` in `COUNTERS`.
    pub const ACCESS4_ACCESS: usize = 65;
    /// Index of `H5D_ACCESS4_LENGTH_D1` in `COUNTERS`.
    pub const ACCESS4_LENGTH_D1: usize = 66;
    /// Index of `H5D_ACCESS4_LENGTH_D2` in `COUNTERS`.
    pub const ACCESS4_LENGTH_D2: usize = 67;
    /// Index of `H5D_ACCESS4_LENGTH_D3` in `COUNTERS`.
    pub const ACCESS4_LENGTH_D3: usize = 68;
    /// Index of `H5D_ACCESS4_LENGTH_D4` in `COUNTERS`.
    pub const ACCESS4_LENGTH_D4: usize = 69;
    /// Index of `H5D_ACCESS4_LENGTH_D5` in `COUNTERS`.
    pub const ACCESS4_LENGTH_D5: usize = 70;
    /// Index of `H5D_ACCESS4_STRIDE_D1` in `COUNTERS`.
    pub const ACCESS4_STRIDE_D1: usize = 71;
    /// Index of `H5D_ACCESS4_STRIDE_D2` in `COUNTERS`.
    pub const ACCESS4_STRIDE_D2: usize = 72;
    /// Index of `H5D_ACCESS4_STRIDE_D3` in `COUNTERS`.
    pub const ACCESS4_STRIDE_D3: usize = 73;
    /// Index of `H5D_ACCESS4_STRIDE_D4` in `COUNTERS`.
    pub const ACCESS4_STRIDE_D4: usize = 74;
    /// Index of `H5D_ACCESS4_STRIDE_D5` in `COUNTERS`.
    pub const ACCESS4_STRIDE_D5: usize = 75;
    /// Index of `H5D_ACCESS1_COUNT` in `COUNTERS`.
    pub const ACCESS1_COUNT: usize = 76;
    /// Index of `H5D_ACCESS2_COUNT` in `COUNTERS`.
    pub const ACCESS2_COUNT: usize = 77;
    /// Index of `H5D_ACCESS3_COUNT` in `COUNTERS`.
    pub const ACCESS3_COUNT: usize = 78;
    /// Index of `H5D_ACCESS4_COUNT` in `COUNTERS`.
    pub const ACCESS4_COUNT: usize = 79;
    /// Index of `H5D_DATASPACE_NDIMS` in `COUNTERS`.
    pub const DATASPACE_NDIMS: usize = 80;
    /// Index of `H5D_DATASPACE_NPOINTS` in `COUNTERS`.
    pub const DATASPACE_NPOINTS: usize = 81;
    /// Index of `H5D_DATATYPE_SIZE` in `COUNTERS`.
    pub const DATATYPE_SIZE: usize = 82;
    /// Index of `H5D_CHUNK_SIZE_D1` in `COUNTERS`.
    pub const CHUNK_SIZE_D1: usize = 83;
    /// Index of `H5D_CHUNK_SIZE_D2` in `COUNTERS`.
    pub const CHUNK_SIZE_D2: usize = 84;
    /// Index of `H5D_CHUNK_SIZE_D3` in `COUNTERS`.
    pub const CHUNK_SIZE_D3: usize = 85;
    /// Index of `H5D_CHUNK_SIZE_D4` in `COUNTERS`.
    pub const CHUNK_SIZE_D4: usize = 86;
    /// Index of `H5D_CHUNK_SIZE_D5` in `COUNTERS`.
    pub const CHUNK_SIZE_D5: usize = 87;
    /// Index of `H5D_USE_MPIIO_COLLECTIVE` in `COUNTERS`.
    pub const USE_MPIIO_COLLECTIVE: usize = 88;
    /// Index of `H5D_USE_DEPRECATED` in `COUNTERS`.
    pub const USE_DEPRECATED: usize = 89;
    /// Index of `H5D_FASTEST_RANK` in `COUNTERS`.
    pub const FASTEST_RANK: usize = 90;
    /// Index of `H5D_FASTEST_RANK_BYTES` in `COUNTERS`.
    pub const FASTEST_RANK_BYTES: usize = 91;
    /// Index of `H5D_SLOWEST_RANK` in `COUNTERS`.
    pub const SLOWEST_RANK: usize = 92;
    /// Index of `H5D_SLOWEST_RANK_BYTES` in `COUNTERS`.
    pub const SLOWEST_RANK_BYTES: usize = 93;
    /// Index of `H5D_F_OPEN_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_OPEN_START_TIMESTAMP: usize = 0;
    /// Index of `H5D_F_READ_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_READ_START_TIMESTAMP: usize = 1;
    /// Index of `H5D_F_WRITE_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_WRITE_START_TIMESTAMP: usize = 2;
    /// Index of `H5D_F_CLOSE_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_CLOSE_START_TIMESTAMP: usize = 3;
    /// Index of `H5D_F_OPEN_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_OPEN_END_TIMESTAMP: usize = 4;
    /// Index of `H5D_F_READ_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_READ_END_TIMESTAMP: usize = 5;
    /// Index of `H5D_F_WRITE_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_WRITE_END_TIMESTAMP: usize = 6;
    /// Index of `H5D_F_CLOSE_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_CLOSE_END_TIMESTAMP: usize = 7;
    /// Index of `H5D_F_READ_TIME` in `F_COUNTERS`.
    pub const F_READ_TIME: usize = 8;
    /// Index of `H5D_F_WRITE_TIME` in `F_COUNTERS`.
    pub const F_WRITE_TIME: usize = 9;
    /// Index of `H5D_F_META_TIME` in `F_COUNTERS`.
    pub const F_META_TIME: usize = 10;
    /// Index of `H5D_F_MAX_READ_TIME` in `F_COUNTERS`.
    pub const F_MAX_READ_TIME: usize = 11;
    /// Index of `H5D_F_MAX_WRITE_TIME` in `F_COUNTERS`.
    pub const F_MAX_WRITE_TIME: usize = 12;
    /// Index of `H5D_F_FASTEST_RANK_TIME` in `F_COUNTERS`.
    pub const F_FASTEST_RANK_TIME: usize = 13;
    /// Index of `H5D_F_SLOWEST_RANK_TIME` in `F_COUNTERS`.
    pub const F_SLOWEST_RANK_TIME: usize = 14;
    /// Index of `H5D_F_VARIANCE_RANK_TIME` in `F_COUNTERS`.
    pub const F_VARIANCE_RANK_TIME: usize = 15;
    /// Index of `H5D_F_VARIANCE_RANK_BYTES` in `F_COUNTERS`.
    pub const F_VARIANCE_RANK_BYTES: usize = 16;
}

/// PNETCDF_FILE.
pub mod pnetcdf_file {
    /// Integer counters, in record order.
    pub const COUNTERS: [&str; 9] = [
        "PNETCDF_FILE_CREATES",
        "PNETCDF_FILE_OPENS",
        "PNETCDF_FILE_REDEFS",
        "PNETCDF_FILE_INDEP_WAITS",
        "PNETCDF_FILE_COLL_WAITS",
        "PNETCDF_FILE_SYNCS",
        "PNETCDF_FILE_BYTES_READ",
        "PNETCDF_FILE_BYTES_WRITTEN",
        "PNETCDF_FILE_WAIT_FAILURES",
    ];
    /// Floating-point counters, in record order.
    pub const F_COUNTERS: [&str; 8] = [
        "PNETCDF_FILE_F_OPEN_START_TIMESTAMP",
        "PNETCDF_FILE_F_CLOSE_START_TIMESTAMP",
        "PNETCDF_FILE_F_WAIT_START_TIMESTAMP",
        "PNETCDF_FILE_F_OPEN_END_TIMESTAMP",
        "PNETCDF_FILE_F_CLOSE_END_TIMESTAMP",
        "PNETCDF_FILE_F_WAIT_END_TIMESTAMP",
        "PNETCDF_FILE_F_META_TIME",
        "PNETCDF_FILE_F_WAIT_TIME",
    ];
    /// Index of `PNETCDF_FILE_CREATES` in `COUNTERS`.
    pub const CREATES: usize = 0;
    /// Index of `PNETCDF_FILE_OPENS` in `COUNTERS`.
    pub const OPENS: usize = 1;
    /// Index of `PNETCDF_FILE_REDEFS` in `COUNTERS`.
    pub const REDEFS: usize = 2;
    /// Index of `PNETCDF_FILE_INDEP_WAITS` in `COUNTERS`.
    pub const INDEP_WAITS: usize = 3;
    /// Index of `PNETCDF_FILE_COLL_WAITS` in `COUNTERS`.
    pub const COLL_WAITS: usize = 4;
    /// Index of `PNETCDF_FILE_SYNCS` in `COUNTERS`.
    pub const SYNCS: usize = 5;
    /// Index of `PNETCDF_FILE_BYTES_READ` in `COUNTERS`.
    pub const BYTES_READ: usize = 6;
    /// Index of `PNETCDF_FILE_BYTES_WRITTEN` in `COUNTERS`.
    pub const BYTES_WRITTEN: usize = 7;
    /// Index of `PNETCDF_FILE_WAIT_FAILURES` in `COUNTERS`.
    pub const WAIT_FAILURES: usize = 8;
    /// Index of `PNETCDF_FILE_F_OPEN_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_OPEN_START_TIMESTAMP: usize = 0;
    /// Index of `PNETCDF_FILE_F_CLOSE_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_CLOSE_START_TIMESTAMP: usize = 1;
    /// Index of `PNETCDF_FILE_F_WAIT_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_WAIT_START_TIMESTAMP: usize = 2;
    /// Index of `PNETCDF_FILE_F_OPEN_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_OPEN_END_TIMESTAMP: usize = 3;
    /// Index of `PNETCDF_FILE_F_CLOSE_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_CLOSE_END_TIMESTAMP: usize = 4;
    /// Index of `PNETCDF_FILE_F_WAIT_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_WAIT_END_TIMESTAMP: usize = 5;
    /// Index of `PNETCDF_FILE_F_META_TIME` in `F_COUNTERS`.
    pub const F_META_TIME: usize = 6;
    /// Index of `PNETCDF_FILE_F_WAIT_TIME` in `F_COUNTERS`.
    pub const F_WAIT_TIME: usize = 7;
}

/// PNETCDF_VAR.
pub mod pnetcdf_var {
    /// Integer counters, in record order.
    pub const COUNTERS: [&str; 120] = [
        "PNETCDF_VAR_OPENS",
        "PNETCDF_VAR_INDEP_READS",
        "PNETCDF_VAR_INDEP_WRITES",
        "PNETCDF_VAR_COLL_READS",
        "PNETCDF_VAR_COLL_WRITES",
        "PNETCDF_VAR_NB_READS",
        "PNETCDF_VAR_NB_WRITES",
        "PNETCDF_VAR_BYTES_READ",
        "PNETCDF_VAR_BYTES_WRITTEN",
        "PNETCDF_VAR_RW_SWITCHES",
        "PNETCDF_VAR_PUT_VAR",
        "PNETCDF_VAR_PUT_VAR1",
        "PNETCDF_VAR_PUT_VARA",
        "PNETCDF_VAR_PUT_VARS",
        "PNETCDF_VAR_PUT_VARM",
        "PNETCDF_VAR_PUT_VARN",
        "PNETCDF_VAR_PUT_VARD",
        "PNETCDF_VAR_GET_VAR",
        "PNETCDF_VAR_GET_VAR1",
        "PNETCDF_VAR_GET_VARA",
        "PNETCDF_VAR_GET_VARS",
        "PNETCDF_VAR_GET_VARM",
        "PNETCDF_VAR_GET_VARN",
        "PNETCDF_VAR_GET_VARD",
        "PNETCDF_VAR_IPUT_VAR",
        "PNETCDF_VAR_IPUT_VAR1",
        "PNETCDF_VAR_IPUT_VARA",
        "PNETCDF_VAR_IPUT_VARS",
        "PNETCDF_VAR_IPUT_VARM",
        "PNETCDF_VAR_IPUT_VARN",
        "PNETCDF_VAR_IGET_VAR",
        "PNETCDF_VAR_IGET_VAR1",
        "PNETCDF_VAR_IGET_VARA",
        "PNETCDF_VAR_IGET_VARS",
        "PNETCDF_VAR_IGET_VARM",
        "PNETCDF_VAR_IGET_VARN",
        "PNETCDF_VAR_BPUT_VAR",
        "PNETCDF_VAR_BPUT_VAR1",
        "PNETCDF_VAR_BPUT_VARA",
        "PNETCDF_VAR_BPUT_VARS",
        "PNETCDF_VAR_BPUT_VARM",
        "PNETCDF_VAR_BPUT_VARN",
        "PNETCDF_VAR_MAX_READ_TIME_SIZE",
        "PNETCDF_VAR_MAX_WRITE_TIME_SIZE",
        "PNETCDF_VAR_SIZE_READ_AGG_0_100",
        "PNETCDF_VAR_SIZE_READ_AGG_100_1K",
        "PNETCDF_VAR_SIZE_READ_AGG_1K_10K",
        "PNETCDF_VAR_SIZE_READ_AGG_10K_100K",
        "PNETCDF_VAR_SIZE_READ_AGG_100K_1M",
        "PNETCDF_VAR_SIZE_READ_AGG_1M_4M",
        "PNETCDF_VAR_SIZE_READ_AGG_4M_10M",
        "PNETCDF_VAR_SIZE_READ_AGG_10M_100M",
        "PNETCDF_VAR_SIZE_READ_AGG_100M_1G",
        "PNETCDF_VAR_SIZE_READ_AGG_1G_PLUS",
        "PNETCDF_VAR_SIZE_WRITE_AGG_0_100",
        "PNETCDF_VAR_SIZE_WRITE_AGG_100_1K",
        "PNETCDF_VAR_SIZE_WRITE_AGG_1K_10K",
        "PNETCDF_VAR_SIZE_WRITE_AGG_10K_100K",
        "PNETCDF_VAR_SIZE_WRITE_AGG_100K_1M",
        "PNETCDF_VAR_SIZE_WRITE_AGG_1M_4M",
        "PNETCDF_VAR_SIZE_WRITE_AGG_4M_10M",
        "PNETCDF_VAR_SIZE_WRITE_AGG_10M_100M",
        "PNETCDF_VAR_SIZE_WRITE_AGG_100M_1G",
        "PNETCDF_VAR_SIZE_WRITE_AGG_1G_PLUS",
        "PNETCDF_VAR_ACCESS1_ACCESS",
        "PNETCDF_VAR_ACCESS1_LENGTH_D1",
        "PNETCDF_VAR_ACCESS1_LENGTH_D2",
        "PNETCDF_VAR_ACCESS1_LENGTH_D3",
        "PNETCDF_VAR_ACCESS1_LENGTH_D4",
        "PNETCDF_VAR_ACCESS1_LENGTH_D5",
        "PNETCDF_VAR_ACCESS1_STRIDE_D1",
        "PNETCDF_VAR_ACCESS1_STRIDE_D2",
        "PNETCDF_VAR_ACCESS1_STRIDE_D3",
        "PNETCDF_VAR_ACCESS1_STRIDE_D4",
        "PNETCDF_VAR_ACCESS1_STRIDE_D5",
        "PNETCDF_VAR_ACCESS2_ACCESS",
        "PNETCDF_VAR_ACCESS2_LENGTH_D1",
        "PNETCDF_VAR_ACCESS2_LENGTH_D2",
        "PNETCDF_VAR_ACCESS2_LENGTH_D3",
        "PNETCDF_VAR_ACCESS2_LENGTH_D4",
        "PNETCDF_VAR_ACCESS2_LENGTH_D5",
        "PNETCDF_VAR_ACCESS2_STRIDE_D1",
        "PNETCDF_VAR_ACCESS2_STRIDE_D2",
        "PNETCDF_VAR_ACCESS2_STRIDE_D3",
        "PNETCDF_VAR_ACCESS2_STRIDE_D4",
        "PNETCDF_VAR_ACCESS2_STRIDE_D5",
        "PNETCDF_VAR_ACCESS3_ACCESS",
        "PNETCDF_VAR_ACCESS3_LENGTH_D1",
        "PNETCDF_VAR_ACCESS3_LENGTH_D2",
        "PNETCDF_VAR_ACCESS3_LENGTH_D3",
        "PNETCDF_VAR_ACCESS3_LENGTH_D4",
        "PNETCDF_VAR_ACCESS3_LENGTH_D5",
        "PNETCDF_VAR_ACCESS3_STRIDE_D1",
        "PNETCDF_VAR_ACCESS3_STRIDE_D2",
        "PNETCDF_VAR_ACCESS3_STRIDE_D3",
        "PNETCDF_VAR_ACCESS3_STRIDE_D4",
        "PNETCDF_VAR_ACCESS3_STRIDE_D5",
        "PNETCDF_VAR_ACCESS4_ACCESS",
        "PNETCDF_VAR_ACCESS4_LENGTH_D1",
        "PNETCDF_VAR_ACCESS4_LENGTH_D2",
        "PNETCDF_VAR_ACCESS4_LENGTH_D3",
        "PNETCDF_VAR_ACCESS4_LENGTH_D4",
        "PNETCDF_VAR_ACCESS4_LENGTH_D5",
        "PNETCDF_VAR_ACCESS4_STRIDE_D1",
        "PNETCDF_VAR_ACCESS4_STRIDE_D2",
        "PNETCDF_VAR_ACCESS4_STRIDE_D3",
        "PNETCDF_VAR_ACCESS4_STRIDE_D4",
        "PNETCDF_VAR_ACCESS4_STRIDE_D5",
        "PNETCDF_VAR_ACCESS1_COUNT",
        "PNETCDF_VAR_ACCESS2_COUNT",
        "PNETCDF_VAR_ACCESS3_COUNT",
        "PNETCDF_VAR_ACCESS4_COUNT",
        "PNETCDF_VAR_NDIMS",
        "PNETCDF_VAR_NPOINTS",
        "PNETCDF_VAR_DATATYPE_SIZE",
        "PNETCDF_VAR_IS_RECORD_VAR",
        "PNETCDF_VAR_FASTEST_RANK",
        "PNETCDF_VAR_FASTEST_RANK_BYTES",
        "PNETCDF_VAR_SLOWEST_RANK",
        "PNETCDF_VAR_SLOWEST_RANK_BYTES",
    ];
    /// Floating-point counters, in record order.
    pub const F_COUNTERS: [&str; 17] = [
        "PNETCDF_VAR_F_OPEN_START_TIMESTAMP",
        "PNETCDF_VAR_F_READ_START_TIMESTAMP",
        "PNETCDF_VAR_F_WRITE_START_TIMESTAMP",
        "PNETCDF_VAR_F_CLOSE_START_TIMESTAMP",
        "PNETCDF_VAR_F_OPEN_END_TIMESTAMP",
        "PNETCDF_VAR_F_READ_END_TIMESTAMP",
        "PNETCDF_VAR_F_WRITE_END_TIMESTAMP",
        "PNETCDF_VAR_F_CLOSE_END_TIMESTAMP",
        "PNETCDF_VAR_F_READ_TIME",
        "PNETCDF_VAR_F_WRITE_TIME",
        "PNETCDF_VAR_F_META_TIME",
        "PNETCDF_VAR_F_MAX_READ_TIME",
        "PNETCDF_VAR_F_MAX_WRITE_TIME",
        "PNETCDF_VAR_F_FASTEST_RANK_TIME",
        "PNETCDF_VAR_F_SLOWEST_RANK_TIME",
        "PNETCDF_VAR_F_VARIANCE_RANK_TIME",
        "PNETCDF_VAR_F_VARIANCE_RANK_BYTES",
    ];
    /// Index of `PNETCDF_VAR_OPENS` in `COUNTERS`.
    pub const OPENS: usize = 0;
    /// Index of `PNETCDF_VAR_INDEP_READS` in `COUNTERS`.
    pub const INDEP_READS: usize = 1;
    /// Index of `PNETCDF_VAR_INDEP_WRITES` in `COUNTERS`.
    pub const INDEP_WRITES: usize = 2;
    /// Index of `PNETCDF_VAR_COLL_READS` in `COUNTERS`.
    pub const COLL_READS: usize = 3;
    /// Index of `PNETCDF_VAR_COLL_WRITES` in `COUNTERS`.
    pub const COLL_WRITES: usize = 4;
    /// Index of `PNETCDF_VAR_NB_READS` in `COUNTERS`.
    pub const NB_READS: usize = 5;
    /// Index of `PNETCDF_VAR_NB_WRITES` in `COUNTERS`.
    pub const NB_WRITES: usize = 6;
    /// Index of `PNETCDF_VAR_BYTES_READ` in `COUNTERS`.
    pub const BYTES_READ: usize = 7;
    /// Index of `PNETCDF_VAR_BYTES_WRITTEN` in `COUNTERS`.
    pub const BYTES_WRITTEN: usize = 8;
    /// Index of `PNETCDF_VAR_RW_SWITCHES` in `COUNTERS`.
    pub const RW_SWITCHES: usize = 9;
    /// Index of `PNETCDF_VAR_PUT_VAR` in `COUNTERS`.
    pub const PUT_VAR: usize = 10;
    /// Index of `PNETCDF_VAR_PUT_VAR1` in `COUNTERS`.
    pub const PUT_VAR1: usize = 11;
    /// Index of `PNETCDF_VAR_PUT_VARA` in `COUNTERS`.
    pub const PUT_VARA: usize = 12;
    /// Index of `PNETCDF_VAR_PUT_VARS` in `COUNTERS`.
    pub const PUT_VARS: usize = 13;
    /// Index of `PNETCDF_VAR_PUT_VARM` in `COUNTERS`.
    pub const PUT_VARM: usize = 14;
    /// Index of `PNETCDF_VAR_PUT_VARN` in `COUNTERS`.
    pub const PUT_VARN: usize = 15;
    /// Index of `PNETCDF_VAR_PUT_VARD` in `COUNTERS`.
    pub const PUT_VARD: usize = 16;
    /// Index of `PNETCDF_VAR_GET_VAR` in `COUNTERS`.
    pub const GET_VAR: usize = 17;
    /// Index of `PNETCDF_VAR_GET_VAR1` in `COUNTERS`.
    pub const GET_VAR1: usize = 18;
    /// Index of `PNETCDF_VAR_GET_VARA` in `COUNTERS`.
    pub const GET_VARA: usize = 19;
    /// Index of `PNETCDF_VAR_GET_VARS` in `COUNTERS`.
    pub const GET_VARS: usize = 20;
    /// Index of `PNETCDF_VAR_GET_VARM` in `COUNTERS`.
    pub const GET_VARM: usize = 21;
    /// Index of `PNETCDF_VAR_GET_VARN` in `COUNTERS`.
    pub const GET_VARN: usize = 22;
    /// Index of `PNETCDF_VAR_GET_VARD` in `COUNTERS`.
    pub const GET_VARD: usize = 23;
    /// Index of `PNETCDF_VAR_IPUT_VAR` in `COUNTERS`.
    pub const IPUT_VAR: usize = 24;
    /// Index of `PNETCDF_VAR_IPUT_VAR1` in `COUNTERS`.
    pub const IPUT_VAR1: usize = 25;
    /// Index of `PNETCDF_VAR_IPUT_VARA` in `COUNTERS`.
    pub const IPUT_VARA: usize = 26;
    /// Index of `PNETCDF_VAR_IPUT_VARS` in `COUNTERS`.
    pub const IPUT_VARS: usize = 27;
    /// Index of `PNETCDF_VAR_IPUT_VARM` in `COUNTERS`.
    pub const IPUT_VARM: usize = 28;
    /// Index of `PNETCDF_VAR_IPUT_VARN` in `COUNTERS`.
    pub const IPUT_VARN: usize = 29;
    /// Index of `PNETCDF_VAR_IGET_VAR` in `COUNTERS`.
    pub const IGET_VAR: usize = 30;
    /// Index of `PNETCDF_VAR_IGET_VAR1` in `COUNTERS`.
    pub const IGET_VAR1: usize = 31;
    /// Index of `PNETCDF_VAR_IGET_VARA` in `COUNTERS`.
    pub const IGET_VARA: usize = 32;
    /// Index of `PNETCDF_VAR_IGET_VARS` in `COUNTERS`.
    pub const IGET_VARS: usize = 33;
    /// Index of `PNETCDF_VAR_IGET_VARM` in `COUNTERS`.
    pub const IGET_VARM: usize = 34;
    /// Index of `PNETCDF_VAR_IGET_VARN` in `COUNTERS`.
    pub const IGET_VARN: usize = 35;
    /// Index of `PNETCDF_VAR_BPUT_VAR` in `COUNTERS`.
    pub const BPUT_VAR: usize = 36;
    /// Index of `PNETCDF_VAR_BPUT_VAR1` in `COUNTERS`.
    pub const BPUT_VAR1: usize = 37;
    /// Index of `PNETCDF_VAR_BPUT_VARA` in `COUNTERS`.
    pub const BPUT_VARA: usize = 38;
    /// Index of `PNETCDF_VAR_BPUT_VARS` in `COUNTERS`.
    pub const BPUT_VARS: usize = 39;
    /// Index of `PNETCDF_VAR_BPUT_VARM` in `COUNTERS`.
    pub const BPUT_VARM: usize = 40;
    /// Index of `PNETCDF_VAR_BPUT_VARN` in `COUNTERS`.
    pub const BPUT_VARN: usize = 41;
    /// Index of `PNETCDF_VAR_MAX_READ_TIME_SIZE` in `COUNTERS`.
    pub const MAX_READ_TIME_SIZE: usize = 42;
    /// Index of `PNETCDF_VAR_MAX_WRITE_TIME_SIZE` in `COUNTERS`.
    pub const MAX_WRITE_TIME_SIZE: usize = 43;
    /// Index of `PNETCDF_VAR_SIZE_READ_AGG_0_100` in `COUNTERS`.
    pub const SIZE_READ_AGG_0_100: usize = 44;
    /// Index of `PNETCDF_VAR_SIZE_READ_AGG_100_1K` in `COUNTERS`.
    pub const SIZE_READ_AGG_100_1K: usize = 45;
    /// Index of `PNETCDF_VAR_SIZE_READ_AGG_1K_10K` in `COUNTERS`.
    pub const SIZE_READ_AGG_1K_10K: usize = 46;
    /// Index of `PNETCDF_VAR_SIZE_READ_AGG_10K_100K` in `COUNTERS`.
    pub const SIZE_READ_AGG_10K_100K: usize = 47;
    /// Index of `PNETCDF_VAR_SIZE_READ_AGG_100K_1M` in `COUNTERS`.
    pub const SIZE_READ_AGG_100K_1M: usize = 48;
    /// Index of `PNETCDF_VAR_SIZE_READ_AGG_1M_4M` in `COUNTERS`.
    pub const SIZE_READ_AGG_1M_4M: usize = 49;
    /// Index of `PNETCDF_VAR_SIZE_READ_AGG_4M_10M` in `COUNTERS`.
    pub const SIZE_READ_AGG_4M_10M: usize = 50;
    /// Index of `PNETCDF_VAR_SIZE_READ_AGG_10M_100M` in `COUNTERS`.
    pub const SIZE_READ_AGG_10M_100M: usize = 51;
    /// Index of `PNETCDF_VAR_SIZE_READ_AGG_100M_1G` in `COUNTERS`.
    pub const SIZE_READ_AGG_100M_1G: usize = 52;
    /// Index of `PNETCDF_VAR_SIZE_READ_AGG_1G_PLUS` in `COUNTERS`.
    pub const SIZE_READ_AGG_1G_PLUS: usize = 53;
    /// Index of `PNETCDF_VAR_SIZE_WRITE_AGG_0_100` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_0_100: usize = 54;
    /// Index of `PNETCDF_VAR_SIZE_WRITE_AGG_100_1K` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_100_1K: usize = 55;
    /// Index of `PNETCDF_VAR_SIZE_WRITE_AGG_1K_10K` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_1K_10K: usize = 56;
    /// Index of `PNETCDF_VAR_SIZE_WRITE_AGG_10K_100K` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_10K_100K: usize = 57;
    /// Index of `PNETCDF_VAR_SIZE_WRITE_AGG_100K_1M` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_100K_1M: usize = 58;
    /// Index of `PNETCDF_VAR_SIZE_WRITE_AGG_1M_4M` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_1M_4M: usize = 59;
    /// Index of `PNETCDF_VAR_SIZE_WRITE_AGG_4M_10M` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_4M_10M: usize = 60;
    /// Index of `PNETCDF_VAR_SIZE_WRITE_AGG_10M_100M` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_10M_100M: usize = 61;
    /// Index of `PNETCDF_VAR_SIZE_WRITE_AGG_100M_1G` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_100M_1G: usize = 62;
    /// Index of `PNETCDF_VAR_SIZE_WRITE_AGG_1G_PLUS` in `COUNTERS`.
    pub const SIZE_WRITE_AGG_1G_PLUS: usize = 63;
    /// Index of `PNETCDF_VAR_ACCESS1_ACCESS` in `COUNTERS`.
    pub const ACCESS1_ACCESS: usize = 64;
    /// Index of `PNETCDF_VAR_ACCESS1_LENGTH_D1` in `COUNTERS`.
    pub const ACCESS1_LENGTH_D1: usize = 65;
    /// Index of `PNETCDF_VAR_ACCESS1_LENGTH_D2` in `COUNTERS`.
    pub const ACCESS1_LENGTH_D2: usize = 66;
    /// Index of `PNETCDF_VAR_ACCESS1_LENGTH_D3` in `COUNTERS`.
    pub const ACCESS1_LENGTH_D3: usize = 67;
    /// Index of `PNETCDF_VAR_ACCESS1_LENGTH_D4` in `COUNTERS`.
    pub const ACCESS1_LENGTH_D4: usize = 68;
    /// Index of `PNETCDF_VAR_ACCESS1_LENGTH_D5` in `COUNTERS`.
    pub const ACCESS1_LENGTH_D5: usize = 69;
    /// Index of `PNETCDF_VAR_ACCESS1_STRIDE_D1` in `COUNTERS`.
    pub const ACCESS1_STRIDE_D1: usize = 70;
    /// Index of `PNETCDF_VAR_ACCESS1_STRIDE_D2` in `COUNTERS`.
    pub const ACCESS1_STRIDE_D2: usize = 71;
    /// Index of `PNETCDF_VAR_ACCESS1_STRIDE_D3` in `COUNTERS`.
    pub const ACCESS1_STRIDE_D3: usize = 72;
    /// Index of `PNETCDF_VAR_ACCESS1_STRIDE_D4` in `COUNTERS`.
    pub const ACCESS1_STRIDE_D4: usize = 73;
    /// Index of `PNETCDF_VAR_ACCESS1_STRIDE_D5` in `COUNTERS`.
    pub const ACCESS1_STRIDE_D5: usize = 74;
    /// Index of `PNETCDF_VAR_ACCESS2_ACCESS` in `COUNTERS`.
    pub const ACCESS2_ACCESS: usize = 75;
    /// Index of `PNETCDF_VAR_ACCESS2_LENGTH_D1` in `COUNTERS`.
    pub const ACCESS2_LENGTH_D1: usize = 76;
    /// Index of `PNETCDF_VAR_ACCESS2_LENGTH_D2` in `COUNTERS`.
    pub const ACCESS2_LENGTH_D2: usize = 77;
    /// Index of `PNETCDF_VAR_ACCESS2_LENGTH_D3` in `COUNTERS`.
    pub const ACCESS2_LENGTH_D3: usize = 78;
    /// Index of `PNETCDF_VAR_ACCESS2_LENGTH_D4` in `COUNTERS`.
    pub const ACCESS2_LENGTH_D4: usize = 79;
    /// Index of `PNETCDF_VAR_ACCESS2_LENGTH_D5` in `COUNTERS`.
    pub const ACCESS2_LENGTH_D5: usize = 80;
    /// Index of `PNETCDF_VAR_ACCESS2_STRIDE_D1` in `COUNTERS`.
    pub const ACCESS2_STRIDE_D1: usize = 81;
    /// Index of `PNETCDF_VAR_ACCESS2_STRIDE_D2` in `COUNTERS`.
    pub const ACCESS2_STRIDE_D2: usize = 82;
    /// Index of `PNETCDF_VAR_ACCESS2_STRIDE_D3` in `COUNTERS`.
    pub const ACCESS2_STRIDE_D3: usize = 83;
    /// Index of `PNETCDF_VAR_ACCESS2_STRIDE_D4` in `COUNTERS`.
    pub const ACCESS2_STRIDE_D4: usize = 84;
    /// Index of `PNETCDF_VAR_ACCESS2_STRIDE_D5` in `COUNTERS`.
    pub const ACCESS2_STRIDE_D5: usize = 85;
    /// Index of `PNETCDF_VAR_ACCESS3_ACCESS` in `COUNTERS`.
    pub const ACCESS3_ACCESS: usize = 86;
    /// Index of `PNETCDF_VAR_ACCESS3_LENGTH_D1` in `COUNTERS`.
    pub const ACCESS3_LENGTH_D1: usize = 87;
    /// Index of `PNETCDF_VAR_ACCESS3_LENGTH_D2` in `COUNTERS`.
    pub const ACCESS3_LENGTH_D2: usize = 88;
    /// Index of `PNETCDF_VAR_ACCESS3_LENGTH_D3` in `COUNTERS`.
    pub const ACCESS3_LENGTH_D3: usize = 89;
    /// Index of `PNETCDF_VAR_ACCESS3_LENGTH_D4` in `COUNTERS`.
    pub const ACCESS3_LENGTH_D4: usize = 90;
    /// Index of `PNETCDF_VAR_ACCESS3_LENGTH_D5` in `COUNTERS`.
    pub const ACCESS3_LENGTH_D5: usize = 91;
    /// Index of `PNETCDF_VAR_ACCESS3_STRIDE_D1` in `COUNTERS`.
    pub const ACCESS3_STRIDE_D1: usize = 92;
    /// Index of `PNETCDF_VAR_ACCESS3_STRIDE_D2` in `COUNTERS`.
    pub const ACCESS3_STRIDE_D2: usize = 93;
    /// Index of `PNETCDF_VAR_ACCESS3_STRIDE_D3` in `COUNTERS`.
    pub const ACCESS3_STRIDE_D3: usize = 94;
    /// Index of `PNETCDF_VAR_ACCESS3_STRIDE_D4` in `COUNTERS`.
    pub const ACCESS3_STRIDE_D4: usize = 95;
    /// Index of `PNETCDF_VAR_ACCESS3_STRIDE_D5` in `COUNTERS`.
    pub const ACCESS3_STRIDE_D5: usize = 96;
    /// Index of `PNETCDF_VAR_ACCESS4_ACCESS` in `COUNTERS`.
    pub const ACCESS4_ACCESS: usize = 97;
    /// Index of `PNETCDF_VAR_ACCESS4_LENGTH_D1` in `COUNTERS`.
    pub const ACCESS4_LENGTH_D1: usize = 98;
    /// Index of `PNETCDF_VAR_ACCESS4_LENGTH_D2` in `COUNTERS`.
    pub const ACCESS4_LENGTH_D2: usize = 99;
    /// Index of `PNETCDF_VAR_ACCESS4_LENGTH_D3` in `COUNTERS`.
    pub const ACCESS4_LENGTH_D3: usize = 100;
    /// Index of `PNETCDF_VAR_ACCESS4_LENGTH_D4` in `COUNTERS`.
    pub const ACCESS4_LENGTH_D4: usize = 101;
    /// Index of `PNETCDF_VAR_ACCESS4_LENGTH_D5` in `COUNTERS`.
    pub const ACCESS4_LENGTH_D5: usize = 102;
    /// Index of `PNETCDF_VAR_ACCESS4_STRIDE_D1` in `COUNTERS`.
    pub const ACCESS4_STRIDE_D1: usize = 103;
    /// Index of `PNETCDF_VAR_ACCESS4_STRIDE_D2` in `COUNTERS`.
    pub const ACCESS4_STRIDE_D2: usize = 104;
    /// Index of `PNETCDF_VAR_ACCESS4_STRIDE_D3` in `COUNTERS`.
    pub const ACCESS4_STRIDE_D3: usize = 105;
    /// Index of `PNETCDF_VAR_ACCESS4_STRIDE_D4` in `COUNTERS`.
    pub const ACCESS4_STRIDE_D4: usize = 106;
    /// Index of `PNETCDF_VAR_ACCESS4_STRIDE_D5` in `COUNTERS`.
    pub const ACCESS4_STRIDE_D5: usize = 107;
    /// Index of `PNETCDF_VAR_ACCESS1_COUNT` in `COUNTERS`.
    pub const ACCESS1_COUNT: usize = 108;
    /// Index of `PNETCDF_VAR_ACCESS2_COUNT` in `COUNTERS`.
    pub const ACCESS2_COUNT: usize = 109;
    /// Index of `PNETCDF_VAR_ACCESS3_COUNT` in `COUNTERS`.
    pub const ACCESS3_COUNT: usize = 110;
    /// Index of `PNETCDF_VAR_ACCESS4_COUNT` in `COUNTERS`.
    pub const ACCESS4_COUNT: usize = 111;
    /// Index of `PNETCDF_VAR_NDIMS` in `COUNTERS`.
    pub const NDIMS: usize = 112;
    /// Index of `PNETCDF_VAR_NPOINTS` in `COUNTERS`.
    pub const NPOINTS: usize = 113;
    /// Index of `PNETCDF_VAR_DATATYPE_SIZE` in `COUNTERS`.
    pub const DATATYPE_SIZE: usize = 114;
    /// Index of `PNETCDF_VAR_IS_RECORD_VAR` in `COUNTERS`.
    pub const IS_RECORD_VAR: usize = 115;
    /// Index of `PNETCDF_VAR_FASTEST_RANK` in `COUNTERS`.
    pub const FASTEST_RANK: usize = 116;
    /// Index of `PNETCDF_VAR_FASTEST_RANK_BYTES` in `COUNTERS`.
    pub const FASTEST_RANK_BYTES: usize = 117;
    /// Index of `PNETCDF_VAR_SLOWEST_RANK` in `COUNTERS`.
    pub const SLOWEST_RANK: usize = 118;
    /// Index of `PNETCDF_VAR_SLOWEST_RANK_BYTES` in `COUNTERS`.
    pub const SLOWEST_RANK_BYTES: usize = 119;
    /// Index of `PNETCDF_VAR_F_OPEN_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_OPEN_START_TIMESTAMP: usize = 0;
    /// Index of `PNETCDF_VAR_F_READ_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_READ_START_TIMESTAMP: usize = 1;
    /// Index of `PNETCDF_VAR_F_WRITE_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_WRITE_START_TIMESTAMP: usize = 2;
    /// Index of `PNETCDF_VAR_F_CLOSE_START_TIMESTAMP` in `F_COUNTERS`.
    pub const F_CLOSE_START_TIMESTAMP: usize = 3;
    /// Index of `PNETCDF_VAR_F_OPEN_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_OPEN_END_TIMESTAMP: usize = 4;
    /// Index of `PNETCDF_VAR_F_READ_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_READ_END_TIMESTAMP: usize = 5;
    /// Index of `PNETCDF_VAR_F_WRITE_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_WRITE_END_TIMESTAMP: usize = 6;
    /// Index of `PNETCDF_VAR_F_CLOSE_END_TIMESTAMP` in `F_COUNTERS`.
    pub const F_CLOSE_END_TIMESTAMP: usize = 7;
    /// Index of `PNETCDF_VAR_F_READ_TIME` in `F_COUNTERS`.
    pub const F_READ_TIME: usize = 8;
    /// Index of `PNETCDF_VAR_F_WRITE_TIME` in `F_COUNTERS`.
    pub const F_WRITE_TIME: usize = 9;
    /// Index of `PNETCDF_VAR_F_META_TIME` in `F_COUNTERS`.
    pub const F_META_TIME: usize = 10;
    /// Index of `PNETCDF_VAR_F_MAX_READ_TIME` in `F_COUNTERS`.
    pub const F_MAX_READ_TIME: usize = 11;
    /// Index of `PNETCDF_VAR_F_MAX_WRITE_TIME` in `F_COUNTERS`.
    pub const F_MAX_WRITE_TIME: usize = 12;
    /// Index of `PNETCDF_VAR_F_FASTEST_RANK_TIME` in `F_COUNTERS`.
    pub const F_FASTEST_RANK_TIME: usize = 13;
    /// Index of `PNETCDF_VAR_F_SLOWEST_RANK_TIME` in `F_COUNTERS`.
    pub const F_SLOWEST_RANK_TIME: usize = 14;
    /// Index of `PNETCDF_VAR_F_VARIANCE_RANK_TIME` in `F_COUNTERS`.
    pub const F_VARIANCE_RANK_TIME: usize = 15;
    /// Index of `PNETCDF_VAR_F_VARIANCE_RANK_BYTES` in `F_COUNTERS`.
    pub const F_VARIANCE_RANK_BYTES: usize = 16;
}

/// BG/Q.
pub mod bgq {
    /// Integer counters, in record order.
    pub const COUNTERS: [&str; 11] = [
        "BGQ_CSJOBID",
        "BGQ_NNODES",
        "BGQ_RANKSPERNODE",
        "BGQ_DDRPERNODE",
        "BGQ_INODES",
        "BGQ_ANODES",
        "BGQ_BNODES",
        "BGQ_CNODES",
        "BGQ_DNODES",
        "BGQ_ENODES",
        "BGQ_TORUSENABLED",
    ];
    /// Floating-point counters, in record order.
    pub const F_COUNTERS: [&str; 1] = ["BGQ_F_TIMESTAMP"];
    /// Index of `BGQ_CSJOBID` in `COUNTERS`.
    pub const CSJOBID: usize = 0;
    /// Index of `BGQ_NNODES` in `COUNTERS`.
    pub const NNODES: usize = 1;
    /// Index of `BGQ_RANKSPERNODE` in `COUNTERS`.
    pub const RANKSPERNODE: usize = 2;
    /// Index of `BGQ_DDRPERNODE` in `COUNTERS`.
    pub const DDRPERNODE: usize = 3;
    /// Index of `BGQ_INODES` in `COUNTERS`.
    pub const INODES: usize = 4;
    /// Index of `BGQ_ANODES` in `COUNTERS`.
    pub const ANODES: usize = 5;
    /// Index of `BGQ_BNODES` in `COUNTERS`.
    pub const BNODES: usize = 6;
    /// Index of `BGQ_CNODES` in `COUNTERS`.
    pub const CNODES: usize = 7;
    /// Index of `BGQ_DNODES` in `COUNTERS`.
    pub const DNODES: usize = 8;
    /// Index of `BGQ_ENODES` in `COUNTERS`.
    pub const ENODES: usize = 9;
    /// Index of `BGQ_TORUSENABLED` in `COUNTERS`.
    pub const TORUSENABLED: usize = 10;
    /// Index of `BGQ_F_TIMESTAMP` in `F_COUNTERS`.
    pub const F_TIMESTAMP: usize = 0;
}

/// LUSTRE (per component).
pub mod lustre {
    /// Integer counters, in record order.
    pub const COUNTERS: [&str; 7] = [
        "LUSTRE_COMP_STRIPE_SIZE",
        "LUSTRE_COMP_STRIPE_COUNT",
        "LUSTRE_COMP_STRIPE_PATTERN",
        "LUSTRE_COMP_FLAGS",
        "LUSTRE_COMP_EXT_START",
        "LUSTRE_COMP_EXT_END",
        "LUSTRE_COMP_MIRROR_ID",
    ];
    /// Floating-point counters, in record order.
    pub const F_COUNTERS: [&str; 0] = [];
    /// Index of `LUSTRE_COMP_STRIPE_SIZE` in `COUNTERS`.
    pub const STRIPE_SIZE: usize = 0;
    /// Index of `LUSTRE_COMP_STRIPE_COUNT` in `COUNTERS`.
    pub const STRIPE_COUNT: usize = 1;
    /// Index of `LUSTRE_COMP_STRIPE_PATTERN` in `COUNTERS`.
    pub const STRIPE_PATTERN: usize = 2;
    /// Index of `LUSTRE_COMP_FLAGS` in `COUNTERS`.
    pub const FLAGS: usize = 3;
    /// Index of `LUSTRE_COMP_EXT_START` in `COUNTERS`.
    pub const EXT_START: usize = 4;
    /// Index of `LUSTRE_COMP_EXT_END` in `COUNTERS`.
    pub const EXT_END: usize = 5;
    /// Index of `LUSTRE_COMP_MIRROR_ID` in `COUNTERS`.
    pub const MIRROR_ID: usize = 6;
}
