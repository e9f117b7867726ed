//! Criterion bench: splitting a message into CTAPHID reports and assembling them again.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use fido_types::ctaphid::{Assembler, ChannelId, CtaphidCommand, Progress, Report, split};

fn split_and_assemble(payload: &[u8]) -> usize {
    let cid = ChannelId(0x0102_0304);
    let mut assembler = Assembler::for_channel(cid);
    let reports: Vec<Report> = split(cid, CtaphidCommand::CBOR, payload).unwrap().collect();
    for report in &reports {
        if let Ok(Progress::Complete(message)) = assembler.push(report) {
            return message.data.len();
        }
    }
    0
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("ctaphid_split_assemble");
    for len in [1024usize, 7609] {
        let payload: Vec<u8> = (0..len).map(|i| i as u8).collect();
        assert_eq!(split_and_assemble(&payload), len);
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_with_input(BenchmarkId::from_parameter(len), &payload, |b, p| {
            b.iter(|| split_and_assemble(black_box(p)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
