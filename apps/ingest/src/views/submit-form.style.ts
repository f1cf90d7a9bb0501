/** The submit page's own style, pinned by its hash in the CSP. */
export const STYLE = `
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;background:#f4f6f8;color:#161b22;line-height:1.45}
main{max-width:34rem;margin:0 auto;padding:1.5rem 1rem 3rem}
h1{font-size:1.5rem;margin:.25rem 0 .25rem}h2{font-size:1rem;margin:0 0 .5rem}
.campaign{margin:0 0 1.25rem;color:#374151}
.card{background:#fff;border:1px solid #d5dae1;border-radius:10px;padding:1rem 1.1rem;margin-bottom:1.25rem}
.checklist{list-style:none;margin:0;padding:0;display:grid;gap:.4rem}
.checklist li{display:flex;align-items:center;gap:.6rem}
.mark{display:inline-flex;align-items:center;justify-content:center;width:1.5rem;height:1.5rem;border-radius:50%;border:2px solid #6b7280;font-weight:700;font-size:.85rem;flex:none}
.checklist li.ok .mark{background:#15803d;border-color:#15803d;color:#fff}
.tag{font-weight:700;color:#1e3a8a;background:#e0e7ff;border-radius:1rem;padding:.05rem .55rem}
label{display:block;font-weight:600;margin:1rem 0 .3rem}
input,textarea{width:100%;font:inherit;padding:.65rem;border:1px solid #6b7280;border-radius:6px;background:#fff;color:inherit}
input[aria-invalid=true]{border-color:#b91c1c;border-width:2px}
textarea{min-height:8rem;resize:vertical}
button{margin-top:1.1rem;font:inherit;font-weight:600;min-height:2.75rem;padding:.65rem 1.3rem;border:0;border-radius:6px;background:#1d4ed8;color:#fff;cursor:pointer;width:100%}
button:disabled{opacity:.65;cursor:default}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.hint{color:#4b5563;font-size:.875rem;margin:.3rem 0 0}
.field-error{color:#b91c1c;font-weight:600;font-size:.9rem;margin:.3rem 0 0}
#verdict{margin-top:1.25rem;padding:.9rem 1rem;border-radius:8px;border:2px solid transparent}
#verdict h2{margin:0 0 .25rem;font-size:1.1rem}#verdict p{margin:0}
#verdict.ok{background:#dcfce7;color:#14532d;border-color:#15803d}
#verdict.warn{background:#fef3c7;color:#713f12;border-color:#b45309}
#verdict.err{background:#fee2e2;color:#7f1d1d;border-color:#b91c1c}
fieldset{margin:1.25rem 0 0}legend{font-weight:700;padding:0 .3rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
`;
