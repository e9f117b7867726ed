//! Fuzz target: arbitrary bytes, cut into 64-byte reports, fed to the CTAPHID assembler
//! listening to one channel (as the client engine does), to the assembler accepting any
//! channel (as the software authenticator's `hid::HidDevice` does, resynchronising on INIT
//! of the channel in progress), and to the client engine.
//!
//! Checked: no panic; every completed message is at most 7609 bytes and exactly as long as
//! its init packet announced; a completed message split again and reassembled is the same
//! message (the authenticator answers through `split`); a framing error names the channel
//! it happened on and maps to a CTAPHID error; the engine always ends by its deadline.

#![no_main]

use std::time::{Duration, Instant};

use fido_ctap::hid::engine::{EngineConfig, Exchange};
use fido_types::ctaphid::packet::encode_error;
use fido_types::ctaphid::{
    Assembler, ChannelId, CtaphidCommand, MAX_MESSAGE_LEN, Packet, Progress, REPORT_LEN, Report,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first byte picks which of two channels each report is forced onto, so that
    // messages actually form instead of every report landing on a random channel.
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let cid = ChannelId(0x0102_0304);
    let mut on_channel = Assembler::for_channel(cid);
    let mut any = Assembler::any_channel();
    let t0 = Instant::now();
    let config = EngineConfig::default();
    let mut exchange = Exchange::new(cid, CtaphidCommand::CBOR, &[0x04], t0, config).unwrap();
    while exchange.poll_transmit().is_some() {}
    let mut announced = None;
    let mut announced_any = None;

    for (i, chunk) in rest.chunks_exact(REPORT_LEN).enumerate() {
        let mut report: Report = chunk.try_into().unwrap();
        if selector & (1 << (i % 8)) != 0 {
            report[..4].copy_from_slice(&cid.to_bytes());
        }
        if let Packet::Init { total_len, .. } = Packet::parse(&report) {
            if Packet::parse(&report).cid() == cid && on_channel.in_progress().is_none() {
                announced = Some(usize::from(total_len));
            }
        }
        match on_channel.push(&report) {
            Ok(Progress::Complete(message)) => {
                assert!(message.data.len() <= MAX_MESSAGE_LEN);
                assert_eq!(message.cid, cid);
                assert_eq!(Some(message.data.len()), announced);
            }
            Ok(_) | Err(_) => {}
        }
        device_side(&mut any, &report, &mut announced_any);
        exchange.handle_report(&report, t0 + Duration::from_millis(i as u64));
    }
    exchange.handle_timeout(t0 + config.timeouts.call);
    assert!(exchange.is_done());
    assert!(exchange.take_result().is_some());
});

/// The authenticator's use of the assembler: INIT on the channel in progress resynchronises
/// it (the device answers INIT itself), everything else is pushed.
fn device_side(any: &mut Assembler, report: &Report, announced: &mut Option<usize>) {
    let packet = Packet::parse(report);
    if let Packet::Init { cid, cmd, total_len, .. } = packet {
        if cmd == CtaphidCommand::INIT {
            if any.in_progress().is_some_and(|(c, _)| c == cid) {
                any.reset();
            }
            return;
        }
        if any.in_progress().is_none() {
            *announced = Some(usize::from(total_len));
        }
    }
    match any.push(report) {
        Ok(Progress::Complete(message)) => {
            assert!(message.data.len() <= MAX_MESSAGE_LEN);
            assert_eq!(Some(message.data.len()), *announced);
            let mut again = Assembler::for_channel(message.cid);
            let mut reassembled = None;
            for r in message.reports().unwrap() {
                if let Ok(Progress::Complete(m)) = again.push(&r) {
                    reassembled = Some(m);
                }
            }
            assert_eq!(reassembled.as_ref(), Some(&message));
        }
        Ok(_) => {}
        Err(error) => {
            assert_eq!(error.cid(), packet.cid());
            let code = error.error_code();
            assert_eq!(Packet::parse(&encode_error(error.cid(), code)).cid(), error.cid());
        }
    }
}
