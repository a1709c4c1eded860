// The one path from a lesson's big browser component to the server, as its own tiny component.
//
// Why: a component that sends its state makes Streamlit rerun the fragment it lives in, and that rerun sends
// the component again (its script, words and data: ~100 KB for the upsampling explorer). So the lesson's
// component lives outside any fragment and never sends; it announces its debounced state on a window event,
// `pixelwise:state` with detail {channel, name, value}, and this component, alone in the lesson's fragment
// with what the server adds (the live PyTorch check, the link), passes it on with setStateValue. A rerun
// then resends only this file and a channel name.

const SENDERS = (window.__pixelwiseStateSync = window.__pixelwiseStateSync || {});

export default function (component) {
  const { data, setStateValue } = component;
  const channel = data.channel;
  const first = !(channel in SENDERS);
  SENDERS[channel] = setStateValue; // the latest mount's setter: a fragment rerun replaces it
  if (first) {
    window.addEventListener("pixelwise:state", (event) => {
      const detail = event.detail || {};
      if (detail.channel === channel && SENDERS[channel]) SENDERS[channel](detail.name, detail.value);
    });
  }
  return undefined;
}
