// "Near me" (mapping/components/locate.py documents it): one button that asks the
// browser for its position and sends it to Python as the trigger "position".

function ensureStylesheets(urls) {
  for (const href of urls || []) {
    if (!document.head.querySelector(`link[data-kcm-style="${CSS.escape(href)}"]`)) {
      const link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      link.dataset.kcmStyle = href;
      document.head.appendChild(link);
    }
  }
}

export default function (component) {
  const {data, parentElement, setTriggerValue} = component;
  ensureStylesheets(data.fontawesome);
  let root = parentElement.querySelector(".kcm-locate");
  if (!root) {
    root = document.createElement("div");
    root.className = "kcm-locate";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "kcm-locate-button";
    const icon = document.createElement("i");
    icon.className = "fa-solid fa-location-crosshairs";
    icon.setAttribute("aria-hidden", "true");
    button.append(icon, document.createElement("span"));
    const status = document.createElement("p");
    status.className = "kcm-locate-status";
    status.setAttribute("role", "status");
    root.append(button, status);
    parentElement.appendChild(root);
  }
  const button = root.querySelector("button");
  const status = root.querySelector(".kcm-locate-status");
  button.querySelector("span").textContent = data.label;
  const answer = (value) => {
    button.disabled = false;
    status.textContent = "";
    setTriggerValue("position", value);
  };
  button.onclick = () => {
    if (!navigator.geolocation) {
      answer({error: "unavailable"});
      return;
    }
    button.disabled = true;
    status.textContent = data.locating;
    navigator.geolocation.getCurrentPosition(
      (pos) => answer({lat: pos.coords.latitude, lon: pos.coords.longitude}),
      (err) => answer({error: err && err.code === 1 ? "denied" : "unavailable"}),
      {enableHighAccuracy: false, timeout: 20000, maximumAge: 60000},
    );
  };
}
