//! Table tests of the readers (filled below).
