/** Entry of the designer bundle: reads the page's boot data and mounts the document page. */
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@xyflow/react/dist/style.css";
import "./styles.css";
import { readBoot } from "./shell/boot";
import { DocumentPage } from "./shell/DocumentPage";

const boot = readBoot();
const root = document.getElementById("designer-root");
if (root) {
  createRoot(root).render(<StrictMode><DocumentPage boot={boot} /></StrictMode>);
}
