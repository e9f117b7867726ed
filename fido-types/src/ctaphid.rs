//! The CTAPHID packet format: splitting a message into 64-byte reports and assembling them, without I/O.
