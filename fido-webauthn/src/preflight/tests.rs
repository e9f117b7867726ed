//! Batching and the search over batches.

use std::cell::RefCell;

use fido_types::generated::{CtapVersion, PublicKeyCredentialType};

use super::*;

fn credential(tag: u8, len: usize) -> PublicKeyCredentialDescriptor {
    PublicKeyCredentialDescriptor {
        id: vec![tag; len],
        ..Default::default()
    }
}

fn tags(batches: &[Vec<&PublicKeyCredentialDescriptor>]) -> Vec<Vec<u8>> {
    batches
        .iter()
        .map(|b| b.iter().map(|c| c.id[0]).collect())
        .collect()
}

#[test]
fn long_ids_are_dropped_and_the_rest_batched() {
    let list = vec![
        credential(1, 16),
        credential(2, 200),
        credential(3, 64),
        credential(4, 65),
        credential(5, 1),
    ];
    let batches = Preflight::new(64, 2).batches(&list);
    assert_eq!(tags(&batches), [vec![1, 3], vec![5]]);
}

#[test]
fn absent_limits_mean_no_length_limit_and_one_per_request() {
    let list = vec![credential(1, 16), credential(2, 1000), credential(3, 64)];
    let batches = Preflight::new(0, 0).batches(&list);
    assert_eq!(tags(&batches), [vec![1], vec![2], vec![3]]);
    let info = Info::new(vec![CtapVersion::FIDO_2_0], [0; 16]);
    assert_eq!(Preflight::from_info(&info), Preflight::new(0, 0));
}

#[test]
fn a_huge_claimed_count_is_bounded_by_the_list() {
    let list = vec![credential(1, 16), credential(2, 16)];
    let batches = Preflight::new(0, u64::MAX).batches(&list);
    assert_eq!(tags(&batches), [vec![1, 2]]);
    assert!(Preflight::new(0, u64::MAX).batches(&[]).is_empty());
}

#[test]
fn the_search_stops_at_the_first_match() {
    let list: Vec<_> = (1..=5).map(|t| credential(t, 16)).collect();
    let probed = RefCell::new(Vec::new());
    let found = Preflight::new(0, 2)
        .find_match(&list, |batch| {
            probed
                .borrow_mut()
                .push(batch.iter().map(|c| c.id[0]).collect::<Vec<_>>());
            Ok::<_, ()>(match batch.iter().find(|c| c.id[0] == 4) {
                Some(c) => Probe::Found(Some((*c).clone())),
                None => Probe::NoCredentials,
            })
        })
        .unwrap();
    assert_eq!(found, Some(credential(4, 16)));
    assert_eq!(probed.into_inner(), [vec![1, 2], vec![3, 4]]);
}

#[test]
fn an_unnamed_match_in_a_single_entry_batch_is_that_entry() {
    let list = vec![credential(7, 16), credential(8, 16)];
    let found = Preflight::new(0, 1)
        .find_match(&list, |batch| {
            Ok::<_, ()>(if batch[0].id[0] == 8 {
                Probe::Found(None)
            } else {
                Probe::NoCredentials
            })
        })
        .unwrap();
    assert_eq!(found, Some(credential(8, 16)));
}

#[test]
fn no_match_and_errors() {
    let list = vec![credential(1, 16), credential(2, 16)];
    let none = Preflight::new(0, 1).find_match(&list, |_| Ok::<_, ()>(Probe::NoCredentials));
    assert_eq!(none, Ok(None));
    let calls = RefCell::new(0);
    let err = Preflight::new(0, 1).find_match(&list, |_| {
        *calls.borrow_mut() += 1;
        Err::<Probe, _>("PIN_AUTH_INVALID")
    });
    assert_eq!(err, Err("PIN_AUTH_INVALID"));
    assert_eq!(calls.into_inner(), 1, "the first error ends the search");
}

#[test]
fn dummy_descriptor_is_one_zero_byte() {
    let dummy = dummy_descriptor();
    assert_eq!(dummy.id, [0]);
    assert_eq!(dummy.credential_type, PublicKeyCredentialType::PUBLIC_KEY);
    assert_eq!(
        hex::encode(fido_types::cbor::to_vec(&dummy).unwrap()),
        // {"id": h'00', "type": "public-key"}
        "a2626964410064747970656a7075626c69632d6b6579"
    );
}
