//! UserInteraction defaults, forwarding impls and the scripted double.

use super::*;

#[test]
fn defaults_are_python_fido2s() {
    let ui = NoInteraction;
    ui.prompt_up();
    assert!(
        ui.request_pin(Permissions::MAKE_CREDENTIAL, Some("example.com"))
            .is_none()
    );
    assert!(ui.request_uv(Permissions::GET_ASSERTION, None));
}

#[test]
fn scripted_answers_and_records() {
    let ui = ScriptedInteraction::new().with_pins(["1234", "12", "567890"]);
    ui.prompt_up();
    let first = ui.request_pin(Permissions::MAKE_CREDENTIAL, Some("example.com"));
    assert_eq!(first.as_ref().map(Pin::expose_secret), Some("1234"));
    // "12" breaks the 4-code-point minimum: given as None.
    assert!(ui.request_pin(Permissions::GET_ASSERTION, None).is_none());
    let third = ui.request_pin(Permissions::GET_ASSERTION, None);
    assert_eq!(third.as_ref().map(Pin::expose_secret), Some("567890"));
    assert!(ui.request_pin(Permissions::GET_ASSERTION, None).is_none());
    assert!(ui.request_uv(Permissions::GET_ASSERTION, Some("example.com")));
    let events = ui.events();
    assert_eq!(events.len(), 6);
    assert_eq!(events[0], InteractionEvent::PromptUp);
    assert_eq!(
        events[1],
        InteractionEvent::RequestPin {
            permissions: Permissions::MAKE_CREDENTIAL,
            rp_id: Some("example.com".into()),
            answered: true
        }
    );
    assert_eq!(
        events[2],
        InteractionEvent::RequestPin {
            permissions: Permissions::GET_ASSERTION,
            rp_id: None,
            answered: false
        }
    );
    assert_eq!(
        events[5],
        InteractionEvent::RequestUv {
            permissions: Permissions::GET_ASSERTION,
            rp_id: Some("example.com".into()),
            allowed: true
        }
    );
}

#[test]
fn scripted_uv_refusal() {
    let ui = ScriptedInteraction::new().with_uv(false);
    assert!(!ui.request_uv(Permissions::MAKE_CREDENTIAL, None));
}

#[test]
fn forwarding_impls_reach_the_inner_value() {
    let ui = Arc::new(ScriptedInteraction::new().with_pins(["4321"]));
    let boxed: Box<dyn UserInteraction> = Box::new(Arc::clone(&ui));
    boxed.prompt_up();
    let by_ref: &dyn UserInteraction = &*boxed;
    assert!(
        by_ref
            .request_pin(Permissions::GET_ASSERTION, None)
            .is_some()
    );
    fn ask(ui: impl UserInteraction) -> bool {
        ui.request_uv(Permissions::GET_ASSERTION, None)
    }
    assert!(ask(&ui));
    assert_eq!(ui.events().len(), 3);
}

#[test]
fn debug_never_shows_pins() {
    let ui = ScriptedInteraction::new().with_pins(["98765432"]);
    let text = format!("{ui:?}");
    assert!(!text.contains("98765432"), "{text}");
}
