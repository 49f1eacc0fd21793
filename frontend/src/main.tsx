/** Entry of the designer bundle: reads the page's boot data and mounts the document page, themed with Ant
 * Design's tokens (the same tokens the server-drawn pages' style sheet mirrors: src/theme/). */
import { ConfigProvider } from "antd";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import "@xyflow/react/dist/style.css";
import "./styles.css";
import { readBoot } from "./shell/boot";
import { DocumentPage } from "./shell/DocumentPage";
import { JobsWarning } from "./shell/JobsWarning";
import { antdLocale, hotlineTheme } from "./theme";

const boot = readBoot();
const root = document.getElementById("designer-root");
if (root) {
  createRoot(root).render(
    <StrictMode>
      {/* no space put between two Chinese characters of a button ("属 性"): the product's words read as written */}
      <ConfigProvider theme={hotlineTheme} locale={antdLocale(boot.locale)} button={{ autoInsertSpace: false }}>
        <JobsWarning />
        <DocumentPage boot={boot} />
      </ConfigProvider>
    </StrictMode>);
}
